#include "domain/frameworks.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "base/embedded.h"
#include "base/text.h"
#include "domain/risk.h"

namespace rampart {
extern const EmbeddedFile kReferenceFiles[];
}

namespace rampart::domain {

namespace {

// Imported texts: a control's prose can be long (NIST SP 800-53's guidance runs to pages).
constexpr int kMaxImportedText = 100000;

FieldSpec TextField(std::string name, std::string label, FieldType type = FieldType::kText,
                    int max_length = 500) {
  FieldSpec f{.name = std::move(name), .label = std::move(label), .type = type};
  f.max_length = max_length;
  return f;
}

// What only an import writes: where the framework came from.
FieldSpec Imported(std::string name, std::string label, int max_length) {
  FieldSpec f = TextField(std::move(name), std::move(label), FieldType::kText, max_length);
  f.read_only = true;
  return f;
}

RegisterSpec MakeFrameworks() {
  RegisterSpec s{.type = "framework",
                 .table = "frameworks",
                 .path = "frameworks",
                 .singular = "Framework",
                 .plural = "Frameworks",
                 .clause = "6.1.3",
                 .title_field = "title"};
  FieldSpec title = TextField("title", "Title");
  title.required = title.sortable = title.searchable = true;
  FieldSpec source{.name = "source",
                   .label = "Source",
                   .type = FieldType::kEnum,
                   .required = true,
                   .choices = {{std::string(kFrameworkWritten), "Written in Rampart"},
                               {std::string(kFrameworkFromCatalog), "OSCAL catalog"},
                               {std::string(kFrameworkFromProfile), "OSCAL profile (resolved)"},
                               {std::string(kFrameworkBuiltIn), "Built in"}},
                   .filterable = true,
                   .sortable = true,
                   .read_only = true,
                   .default_value = std::string(kFrameworkWritten)};
  FieldSpec built_in{.name = "built_in",
                     .label = "Built-in framework",
                     .type = FieldType::kEnum,
                     .choices = {{std::string(kIso27001_2013), "ISO/IEC 27001:2013 Annex A"}},
                     .filterable = true,
                     .read_only = true};
  FieldSpec count{
      .name = "control_count", .label = "Controls imported", .type = FieldType::kInteger};
  count.read_only = count.sortable = true;
  FieldSpec catalog = Imported("catalog", "Resolved against", 500);
  catalog.help = "For a profile: the catalog its controls were selected from.";
  FieldSpec description = TextField("description", "Description", FieldType::kLongText, 10000);
  description.searchable = true;
  s.fields = {
      title,
      source,
      TextField("edition", "Version", FieldType::kText, 200),
      OwnerField(),
      description,
      Imported("oscal_uuid", "OSCAL UUID", 100),
      Imported("oscal_version", "OSCAL version", 50),
      catalog,
      built_in,
      count,
      Imported("file_sha256", "SHA-256 of the file", 64),
  };
  s.list_columns = {"title", "source", "edition", "control_count", "owner"};
  s.default_sort = "title";
  // Mostly imported (FrameworkService), also written by hand: a customer's questionnaire, a
  // framework of one's own. Deleting one deletes its controls (the area's delete route).
  return s;
}

RegisterSpec MakeFrameworkControls() {
  RegisterSpec s{.type = "framework_control",
                 .table = "framework_controls",
                 .path = "framework-controls",
                 .singular = "Framework control",
                 .plural = "Framework controls",
                 .clause = "6.1.3",
                 .title_field = "title"};
  FieldSpec framework{.name = "framework",
                      .label = "Framework",
                      .type = FieldType::kRef,
                      .required = true,
                      .filterable = true};
  framework.ref = "framework";
  FieldSpec position{.name = "position", .label = "No.", .type = FieldType::kInteger};
  position.sortable = true;
  position.min_value = 0;
  position.max_value = 1000000;
  position.help = "Its place in the framework's order.";
  FieldSpec control_id = TextField("control_id", "Control", FieldType::kText, 100);
  control_id.required = control_id.sortable = control_id.searchable = true;
  control_id.help = "The control's identifier in its framework: \"ac-2.1\", \"A.9.2.3\".";
  FieldSpec label = TextField("label", "Label", FieldType::kText, 100);
  label.sortable = label.searchable = true;
  label.help = "How the framework writes its identifier, when it differs: \"AC-2(1)\".";
  FieldSpec title = TextField("title", "Title");
  title.required = title.sortable = title.searchable = true;
  FieldSpec group = TextField("group_title", "Group");
  group.filterable = true;
  FieldSpec parent = TextField("parent", "Enhances", FieldType::kText, 100);
  parent.help = "For an enhancement: the identifier of the control it enhances.";
  FieldSpec withdrawn{.name = "withdrawn", .label = "Withdrawn", .type = FieldType::kBool};
  withdrawn.filterable = true;
  withdrawn.help = "Withdrawn from its framework: it no longer counts in the coverage.";
  FieldSpec statement = TextField("statement", "Statement", FieldType::kLongText, kMaxImportedText);
  statement.searchable = true;
  FieldSpec controls{.name = "controls",
                     .label = "Applied controls",
                     .type = FieldType::kRefs,
                     .help =
                         "The applied controls that meet this control, beside those of its "
                         "Annex A controls.",
                     .filterable = true};
  controls.ref = "applied_control";
  s.fields = {
      framework,
      position,
      control_id,
      label,
      title,
      TextField("group_id", "Group identifier", FieldType::kText, 100),
      group,
      parent,
      withdrawn,
      statement,
      TextField("guidance", "Guidance", FieldType::kLongText, kMaxImportedText),
      AnnexALinks("The Annex A controls this control corresponds to: their applied controls "
                  "count towards its coverage."),
      controls,
      {.name = "notes",
       .label = "Mapping notes",
       .type = FieldType::kLongText,
       .help = "Why it maps as it does; what is left to do.",
       .searchable = true},
  };
  s.list_columns = {"control_id", "title", "framework", "annex_controls", "controls"};
  s.default_sort = "position";
  return s;
}

// The groups of ISO/IEC 27001:2013 Annex A (identifiers and titles).
const std::map<std::string, std::string>& Iso2013Groups() {
  static const std::map<std::string, std::string> kGroups = {
      {"5", "Information security policies"},
      {"6", "Organization of information security"},
      {"7", "Human resource security"},
      {"8", "Asset management"},
      {"9", "Access control"},
      {"10", "Cryptography"},
      {"11", "Physical and environmental security"},
      {"12", "Operations security"},
      {"13", "Communications security"},
      {"14", "System acquisition, development and maintenance"},
      {"15", "Supplier relationships"},
      {"16", "Information security incident management"},
      {"17", "Information security aspects of business continuity management"},
      {"18", "Compliance"},
  };
  return kGroups;
}

struct Iso2013Table {
  std::vector<Iso2013Control> controls;
  std::vector<std::string> new_in_2022;
};

const Iso2013Table& Iso2013() {
  static const Iso2013Table kTable = [] {
    const EmbeddedFile* file =
        FindEmbedded(kReferenceFiles, "iso27001/iso27001-2013-to-2022-mapping.csv");
    if (file == nullptr) std::abort();  // the build embeds it
    Iso2013Table t;
    const auto rows = ParseCsv(file->data);
    for (size_t i = 1; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (r.size() < 3) std::abort();
      std::vector<std::string> ids;
      std::istringstream in(r[2]);
      for (std::string id; in >> id;) ids.push_back(id);
      if (r[0].empty()) {
        t.new_in_2022.insert(t.new_in_2022.end(), ids.begin(), ids.end());
        continue;
      }
      const std::string top = r[0].substr(0, r[0].find('.'));
      const auto group = Iso2013Groups().find(top);
      if (group == Iso2013Groups().end()) std::abort();
      t.controls.push_back({.id = r[0],
                            .title = r[1],
                            .group = "A." + top + " " + group->second,
                            .annex_2022 = std::move(ids)});
    }
    return t;
  }();
  return kTable;
}

std::string StringOf(const Json& fields, const char* name) {
  const auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const RegisterSpec& Frameworks() {
  static const RegisterSpec kSpec = MakeFrameworks();
  return kSpec;
}

const RegisterSpec& FrameworkControls() {
  static const RegisterSpec kSpec = MakeFrameworkControls();
  return kSpec;
}

std::string CoverageLabel(std::string_view coverage) {
  if (coverage == kCoverageImplemented) return "Implemented";
  if (coverage == kCoveragePartial) return "Partial";
  if (coverage == kCoverageNone) return "None";
  if (coverage == kCoverageWithdrawn) return "Withdrawn";
  return std::string(coverage);
}

int64_t FrameworkCoverage::ImplementedPercent() const {
  const int64_t counted = implemented + partial + none;
  return counted == 0 ? 0 : implemented * 100 / counted;
}

std::string CoverageOf(const std::vector<std::string>& statuses) {
  if (statuses.empty()) return std::string(kCoverageNone);
  size_t implemented = 0;
  bool in_progress = false;
  for (const auto& s : statuses) {
    if (s == "implemented") ++implemented;
    if (s == "in_progress") in_progress = true;
  }
  if (implemented == statuses.size()) return std::string(kCoverageImplemented);
  if (implemented > 0 || in_progress) return std::string(kCoveragePartial);
  return std::string(kCoverageNone);
}

FrameworkCoverage DeriveFrameworkCoverage(const std::vector<Record>& controls,
                                          const std::vector<SoaAppliedControl>& applied_controls) {
  std::map<int64_t, const SoaAppliedControl*> by_id;
  std::map<std::string, std::vector<const SoaAppliedControl*>, std::less<>> by_annex;
  for (const auto& a : applied_controls) {
    by_id[a.id] = &a;
    for (const auto& c : a.annex_controls) by_annex[c].push_back(&a);
  }
  FrameworkCoverage out;
  out.lines.reserve(controls.size());
  for (const auto& rec : controls) {
    FrameworkCoverageLine line{.control = &rec};
    std::set<int64_t> seen;
    std::vector<const SoaAppliedControl*> linked;
    const auto add = [&](const SoaAppliedControl* a) {
      if (seen.insert(a->id).second) linked.push_back(a);
    };
    bool mapped = false;
    if (const auto it = rec.fields.find("controls"); it != rec.fields.end() && it->is_array()) {
      for (const auto& id : *it) {
        mapped = true;
        if (!id.is_number_integer()) continue;
        if (const auto a = by_id.find(id.get<int64_t>()); a != by_id.end()) add(a->second);
      }
    }
    if (const auto it = rec.fields.find("annex_controls");
        it != rec.fields.end() && it->is_array()) {
      for (const auto& c : *it) {
        mapped = true;
        if (!c.is_string()) continue;
        if (const auto a = by_annex.find(c.get<std::string>()); a != by_annex.end()) {
          for (const auto* ac : a->second) add(ac);
        }
      }
    }
    std::sort(linked.begin(), linked.end(), [](const auto* a, const auto* b) {
      return a->name != b->name ? a->name < b->name : a->id < b->id;
    });
    std::vector<std::string> statuses;
    for (const auto* a : linked) {
      line.applied_controls.push_back(*a);
      statuses.push_back(a->status);
    }
    line.derived_status = DeriveSoaStatus(statuses);
    const auto withdrawn = rec.fields.find("withdrawn");
    if (withdrawn != rec.fields.end() && withdrawn->is_boolean() && withdrawn->get<bool>()) {
      line.coverage = std::string(kCoverageWithdrawn);
      ++out.withdrawn;
    } else {
      line.coverage = CoverageOf(statuses);
      if (line.coverage == kCoverageImplemented) ++out.implemented;
      if (line.coverage == kCoveragePartial) ++out.partial;
      if (line.coverage == kCoverageNone) ++out.none;
      if (!mapped) ++out.unmapped;
    }
    out.lines.push_back(std::move(line));
  }
  return out;
}

Json FrameworkControlFields(const OscalControl& c, int64_t position) {
  const auto text = [](const std::string& s) { return s.empty() ? Json() : Json(s); };
  return {{"framework", nullptr},
          {"position", position},
          {"control_id", c.id},
          {"label", text(c.label)},
          {"title", c.title},
          {"group_id", text(c.group_id)},
          {"group_title", text(c.group_title)},
          {"parent", text(c.parent_id)},
          {"withdrawn", c.withdrawn},
          {"statement", text(c.statement)},
          {"guidance", text(c.guidance)},
          {"annex_controls", Json::array()},
          {"controls", Json::array()},
          {"notes", nullptr}};
}

OscalControl FrameworkControlAsOscal(const Json& fields) {
  OscalControl c;
  c.id = StringOf(fields, "control_id");
  c.title = StringOf(fields, "title");
  c.label = StringOf(fields, "label");
  c.group_id = StringOf(fields, "group_id");
  c.group_title = StringOf(fields, "group_title");
  c.parent_id = StringOf(fields, "parent");
  const auto withdrawn = fields.find("withdrawn");
  c.withdrawn = withdrawn != fields.end() && withdrawn->is_boolean() && withdrawn->get<bool>();
  c.statement = StringOf(fields, "statement");
  c.guidance = StringOf(fields, "guidance");
  if (!c.label.empty()) c.props.push_back({.name = "label", .value = c.label});
  if (c.withdrawn) c.props.push_back({.name = "status", .value = "withdrawn"});
  if (!c.statement.empty()) {
    c.parts.push_back({.id = c.id + "_smt", .name = "statement", .prose = c.statement});
  }
  if (!c.guidance.empty()) {
    c.parts.push_back({.id = c.id + "_gdn", .name = "guidance", .prose = c.guidance});
  }
  return c;
}

const std::vector<Iso2013Control>& Iso27001_2013Controls() { return Iso2013().controls; }
const std::vector<std::string>& Iso27001_2022NewControls() { return Iso2013().new_in_2022; }

}  // namespace rampart::domain
