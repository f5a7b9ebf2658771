// The 93 controls of ISO/IEC 27001:2022 Annex A with their ISO/IEC 27002:2022 attributes, from
// the catalogue shipped in data/iso27001/iso27001-2022-annex-a.csv (identifiers, titles and
// attribute values are facts; no text of the standards is shipped). Loaded once; immutable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rampart::domain {

struct AnnexAControl {
  std::string id;     // "5.1"
  std::string title;  // "Policies for information security"
  std::string theme;  // Organizational, People, Physical, Technological
  // ISO/IEC 27002 attribute values, without the leading '#': "Preventive", "Confidentiality".
  std::vector<std::string> control_types;
  std::vector<std::string> security_properties;
  std::vector<std::string> cybersecurity_concepts;
  std::vector<std::string> operational_capabilities;
  std::vector<std::string> security_domains;

  // True when `value` (without '#') is one of this control's attribute values.
  bool HasAttribute(std::string_view value) const;
};

// The controls in catalogue order (5.1 ... 8.34).
const std::vector<AnnexAControl>& AnnexAControls();
// nullptr when `id` is not an Annex A control.
const AnnexAControl* FindAnnexAControl(std::string_view id);
// The four themes in catalogue order.
const std::vector<std::string>& AnnexAThemes();

// One ISO/IEC 27002 attribute (a column of the catalogue) and its values in first-seen order.
struct AnnexAAttribute {
  std::string name;   // "control_type"
  std::string label;  // "Control type"
  std::vector<std::string> values;
};
const std::vector<AnnexAAttribute>& AnnexAAttributes();

// The clauses of ISO/IEC 27001:2022 (4 ... 10.2), from data/iso27001/iso27001-2022-clauses.csv:
// identifiers and titles, and what each requires to be documented (a short description of ours,
// empty when nothing).
struct IsoClause {
  std::string id;      // "7.5.1"
  std::string title;   // "General"
  std::string parent;  // "7.5"; empty for a top-level clause
  std::string mandatory_documented_information;
};
const std::vector<IsoClause>& IsoClauses();

}  // namespace rampart::domain
