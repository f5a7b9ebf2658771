// OSCAL 1.1 control catalogs and profiles in their JSON form (NIST's Open Security Controls
// Assessment Language): parsing a catalog into its controls flattened in document order, parsing
// a profile (which controls of a catalog it imports and how it tailors them), and resolving a
// profile against the catalog it imports into the catalog of its selected, tailored controls.
//
// Pure functions over text: no I/O, hrefs are never fetched. Documents are untrusted input:
//   kInvalidArgument, with the offending field ("catalog", "catalog.metadata.title",
//                    "controls[12].id", "imports[0].include-controls", ...): not JSON, not a
//                    catalog/profile, a required field missing or of the wrong type, a duplicate
//                    control id, a profile naming a control the catalog does not have;
//   kTooLarge        a document over kOscalMaxDocumentBytes, JSON nested deeper than
//                    kOscalMaxJsonDepth, groups and controls nested deeper than
//                    kOscalMaxNesting, parts nested deeper than kOscalMaxPartNesting, more than
//                    kOscalMaxControls controls, group titles and ids repeated in their controls
//                    over kOscalMaxDocumentBytes, or rendering the statements and guidance
//                    reading and writing more than kOscalMaxRenderedText bytes of text (a
//                    parameter's selection may insert other parameters, and a statement may
//                    insert one parameter many times).
// Whatever the input, work and memory stay within what these limits allow, and recursion within
// the nesting limits. The results are plain values; the functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rampart::domain {

inline constexpr size_t kOscalMaxDocumentBytes = size_t{64} << 20;
inline constexpr int kOscalMaxJsonDepth = 512;   // arrays and objects, counted by the parser
inline constexpr int kOscalMaxNesting = 64;      // groups and controls within each other
inline constexpr int kOscalMaxPartNesting = 32;  // parts within parts
inline constexpr size_t kOscalMaxControls = 50'000;
inline constexpr size_t kOscalMaxRenderedText = size_t{128} << 20;
// Resolution steps: a control, part, prop or parameter visited, a character of a pattern
// compared.
inline constexpr uint64_t kOscalMaxResolutionSteps = uint64_t{1} << 28;

// A property (OSCAL "prop"): a name/value pair, optionally classed and namespaced.
struct OscalProperty {
  std::string name;   // "label", "sort-id", "status"
  std::string value;  // "AC-2", "ac-02", "withdrawn"
  std::string class_name;
  std::string ns;
};

// A parameter's selection: the value is one (or more) of the choices. A choice may itself insert
// parameters ("lock the account for {{ insert: param, ac-07_odp.04 }}").
struct OscalSelection {
  std::string how_many;  // "one", "one-or-more"; empty means one
  std::vector<std::string> choices;
};

// An organisation-defined parameter of a control ("ac-02_odp.01").
struct OscalParameter {
  std::string id;
  std::string class_name;
  std::string label;                // "prerequisites and criteria"
  std::vector<std::string> values;  // set values; empty when not set
  std::optional<OscalSelection> select;
  std::vector<std::string> guidelines;  // the guidelines' prose
  std::vector<OscalProperty> props;
};

// A part of a control: its statement, guidance, an item of the statement ("a.", "1."), an
// assessment objective... Parts nest at most kOscalMaxPartNesting deep.
struct OscalPart {
  std::string id;    // "ac-2_smt.a"; may be empty
  std::string name;  // "statement", "item", "guidance"
  std::string ns;
  std::string class_name;
  std::string title;
  std::vector<OscalProperty> props;  // the item's label is the prop named "label"
  std::string prose;                 // may contain "{{ insert: param, <id> }}"
  std::vector<OscalPart> parts;
};

// One control or control enhancement. Enhancements are controls within a control: `parent_id`
// names the control they enhance.
struct OscalControl {
  std::string id;           // "ac-2.1"
  std::string title;        // "Automated System Account Management"
  std::string class_name;   // "SP800-53-enhancement"
  std::string label;        // the label prop without a class ("AC-2(1)"), else the first; or empty
  std::string sort_id;      // the "sort-id" prop ("ac-02.01"), or empty
  bool withdrawn = false;   // a prop status=withdrawn
  std::string group_id;     // the innermost group it is in ("ac"), or empty
  std::string group_title;  // "Access Control"
  std::string parent_id;    // for an enhancement, the control it enhances; else empty
  std::vector<OscalParameter> params;
  std::vector<OscalProperty> props;
  std::vector<OscalPart> parts;  // as in the document: statement, guidance, assessment parts
  // The parts named "statement" and "guidance" as plain text: one line per part, its label first
  // ("a. Define ..."), nested items indented two spaces a level, each parameter insertion
  // replaced by the parameter's set values ("monthly"), else its selection ("[Selection (one or
  // more): a; b]"), else its label ("[Assignment: personnel or roles]"), else its id.
  std::string statement;
  std::string guidance;
};

// A catalog, or the result of resolving a profile. Controls are in document order, each control
// before its enhancements.
struct OscalCatalog {
  std::string uuid;
  std::string title;  // metadata.title
  std::string version;
  std::string oscal_version;
  std::vector<OscalControl> controls;
};

// nullptr when the catalog has no control `id`.
const OscalControl* FindOscalControl(const OscalCatalog& catalog, std::string_view id);

// Parses {"catalog": {...}}. Groups, their nested groups and controls, and enhancements are
// flattened; group-level and catalog-level parameters, links and back-matter are not kept.
Result<OscalCatalog> ParseOscalCatalog(std::string_view json_text);

// Which controls of an imported catalog a profile selects (OSCAL "select-control-by-id").
struct OscalControlSelection {
  std::vector<std::string> with_ids;
  std::vector<std::string> matching;  // id patterns: '*' any run of characters, '?' any one
  bool with_child_controls = false;   // "yes": each selected control's enhancements too
};

struct OscalImport {
  std::string href;  // kept, never fetched
  bool include_all = false;
  std::vector<OscalControlSelection> include_controls;
  std::vector<OscalControlSelection> exclude_controls;
};

// modify.set-parameters: what the profile sets on a parameter. Empty or absent members leave
// the parameter's own as they are.
struct OscalParameterSetting {
  std::string param_id;
  std::string label;
  std::vector<std::string> values;
  std::optional<OscalSelection> select;
};

enum class OscalPosition { kBefore, kAfter, kStarting, kEnding };

// modify.alters[].adds: parts, props and parameters added to a control, or to one of its parts
// (`by_id`): kStarting/kEnding inside it, kBefore/kAfter beside it. Without by_id the additions
// go at the start (kStarting, kBefore) or the end of the control's own lists. Props with by_id
// are added to that part's props. A non-empty title replaces the control's (or part's) title.
struct OscalAddition {
  OscalPosition position = OscalPosition::kEnding;
  std::string by_id;
  std::string title;
  std::vector<OscalParameter> params;
  std::vector<OscalProperty> props;
  std::vector<OscalPart> parts;
};

// modify.alters[].removes: removes from the control, at any depth of its parts, every part, prop
// or parameter matching all the criteria given (at least one is). by_item_name is "part",
// "prop", "param", "link", "mapping" or "map" (links and mappings are not kept, so the last three
// remove nothing).
struct OscalRemoval {
  std::string by_name;
  std::string by_class;
  std::string by_id;
  std::string by_item_name;
  std::string by_ns;
};

struct OscalAlteration {
  std::string control_id;
  std::vector<OscalRemoval> removes;
  std::vector<OscalAddition> adds;
};

struct OscalProfile {
  std::string uuid;
  std::string title;  // metadata.title
  std::string version;
  std::string oscal_version;
  std::vector<OscalImport> imports;
  std::vector<OscalParameterSetting> set_parameters;
  std::vector<OscalAlteration> alters;
};

// Parses {"profile": {...}}. An import with neither include-all nor include-controls includes
// all controls, as OSCAL's profile resolution does. merge and back-matter are not kept.
Result<OscalProfile> ParseOscalProfile(std::string_view json_text);

// Resolves `profile` against `catalog`, which every import is taken to refer to (the caller
// chose it; hrefs are not compared). The result holds the selected controls in catalog order —
// of each import, include-all or the included ids (with their enhancements when
// with-child-controls is "yes") and matching patterns, minus its exclude-controls — with the
// alterations applied in profile order (removes first, then adds; label, sort id and withdrawn
// follow the altered props), then the parameter settings, and the statement and guidance
// rendered again. Its title, version and OSCAL version are the profile's; its uuid is the
// profile's uuid (resolution is deterministic). Settings of a parameter no selected control has
// are ignored, as are alterations of controls that are in the catalog but not selected. An
// enhancement keeps its parent_id even when its parent is not selected.
// kInvalidArgument: an included or excluded id the catalog does not have
// ("imports[0].include-controls", "imports[0].exclude-controls"), a profile without imports
// ("imports"), an alteration of a control the catalog does not have
// ("modify.alters[1].control-id") or adding by an id that control does not have
// ("modify.alters[1].adds[0].by-id"). kTooLarge: the additions nest parts deeper than
// kOscalMaxPartNesting ("modify.alters[1].adds[0].parts"), resolving takes more than
// kOscalMaxResolutionSteps steps, or rendering more than kOscalMaxRenderedText.
Result<OscalCatalog> ResolveOscalProfile(const OscalProfile& profile, const OscalCatalog& catalog);

}  // namespace rampart::domain
