#include "domain/soa.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "base/text.h"

namespace rampart::domain {

namespace {

constexpr SoaChoice kReasons[] = {
    {"risk_treatment", "Risk treatment"},
    {"legal_regulatory", "Legal or regulatory"},
    {"contractual", "Contractual"},
    {"business_best_practice", "Business or best practice"},
};

constexpr SoaChoice kStatuses[] = {
    {"not_implemented", "Not implemented"}, {"planned", "Planned"},
    {"in_progress", "In progress"},         {"partially_implemented", "Partially implemented"},
    {"implemented", "Implemented"},         {"not_effective", "Not effective"},
};

std::string LabelOf(std::span<const SoaChoice> choices, std::string_view value) {
  for (const auto& c : choices) {
    if (c.value == value) return std::string(c.label);
  }
  return std::string(value);
}

bool IsOneOf(std::span<const SoaChoice> choices, std::string_view value) {
  return std::any_of(choices.begin(), choices.end(),
                     [&](const SoaChoice& c) { return c.value == value; });
}

std::string Names(std::span<const SoaChoice> choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + std::string(c.value);
  return out;
}

// A text member: trimmed; null and absent are empty. Other kinds are an error.
std::string TextOf(const Json& input, const char* name, std::vector<FieldError>& errors) {
  const auto it = input.find(name);
  if (it == input.end() || it->is_null()) return "";
  if (!it->is_string()) {
    errors.push_back({name, fmt::format("{} must be text", name)});
    return "";
  }
  return std::string(Trim(it->get<std::string>()));
}

void CheckLength(const std::string& text, size_t max, const char* field,
                 std::vector<FieldError>& errors) {
  const long n = Utf8Length(text);
  if (n < 0) {
    errors.push_back({field, "not valid UTF-8 text"});
  } else if (static_cast<size_t>(n) > max) {
    errors.push_back({field, fmt::format("at most {} characters", max)});
  }
}

Json TextOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

std::string Join(const std::vector<std::string>& values, std::string_view sep) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += sep;
    out += v;
  }
  return out;
}

}  // namespace

std::span<const SoaChoice> SoaReasons() { return kReasons; }
std::span<const SoaChoice> SoaStatuses() { return kStatuses; }
std::string SoaReasonLabel(std::string_view value) { return LabelOf(kReasons, value); }
std::string SoaStatusLabel(std::string_view value) { return LabelOf(kStatuses, value); }

SoaEntry SoaEntryFromInput(std::string control_id, const Json& input,
                           std::vector<FieldError>& errors) {
  SoaEntry e;
  e.control_id = std::move(control_id);
  if (!input.is_object()) {
    errors.push_back({"", "the entry must be a JSON object"});
    return e;
  }
  const auto applicable = input.find("applicable");
  if (applicable != input.end() && applicable->is_boolean()) {
    e.applicable = applicable->get<bool>();
  } else if (applicable != input.end() && !applicable->is_null()) {
    errors.push_back({"applicable", "applicable must be true or false"});
  }
  const auto reasons = input.find("reasons");
  if (reasons != input.end() && !reasons->is_null()) {
    if (!reasons->is_array()) {
      errors.push_back({"reasons", "reasons must be a list"});
    } else {
      std::set<std::string> given;
      for (const auto& r : *reasons) {
        if (!r.is_string() || !IsOneOf(kReasons, r.get<std::string>())) {
          errors.push_back(
              {"reasons", fmt::format("unknown reason {}; one of {}", r.dump(), Names(kReasons))});
          continue;
        }
        given.insert(r.get<std::string>());
      }
      for (const auto& c : kReasons) {
        if (given.count(std::string(c.value)) != 0) e.reasons.emplace_back(c.value);
      }
    }
  }
  e.justification = TextOf(input, "justification", errors);
  e.status_override = TextOf(input, "status_override", errors);
  e.override_reason = TextOf(input, "override_reason", errors);
  // A reason for an override that is not there explains nothing (a form whose override was
  // cleared still sends its reason).
  if (e.status_override.empty()) e.override_reason.clear();
  for (auto& problem : ValidateSoaEntry(e)) {
    const bool known = std::any_of(errors.begin(), errors.end(),
                                   [&](const FieldError& f) { return f.field == problem.field; });
    if (!known) errors.push_back(std::move(problem));
  }
  return e;
}

std::vector<FieldError> ValidateSoaEntry(const SoaEntry& e) {
  std::vector<FieldError> errors;
  if (!e.applicable) {
    errors.push_back({"applicable", "say whether the control is applicable"});
  }
  for (const auto& r : e.reasons) {
    if (!IsOneOf(kReasons, r)) {
      errors.push_back(
          {"reasons", fmt::format("unknown reason \"{}\"; one of {}", r, Names(kReasons))});
    }
  }
  CheckLength(e.justification, kSoaMaxJustification, "justification", errors);
  CheckLength(e.override_reason, kSoaMaxOverrideReason, "override_reason", errors);
  if (e.applicable == true && e.reasons.empty()) {
    errors.push_back({"reasons",
                      "give at least one reason for including the control: risk treatment, legal "
                      "or regulatory, contractual, business or best practice"});
  }
  if (e.applicable == false) {
    if (e.justification.empty()) {
      errors.push_back({"justification", "justify why the control is excluded"});
    }
    if (!e.reasons.empty()) {
      errors.push_back({"reasons",
                        "an excluded control has no reasons for inclusion; justify the exclusion "
                        "in the text"});
    }
    if (!e.status_override.empty()) {
      errors.push_back(
          {"status_override", "an excluded control has no implementation status to override"});
    }
  }
  if (!e.status_override.empty()) {
    if (!IsOneOf(kStatuses, e.status_override)) {
      errors.push_back({"status_override", fmt::format("unknown status \"{}\"; one of {}",
                                                       e.status_override, Names(kStatuses))});
    } else if (e.override_reason.empty()) {
      errors.push_back(
          {"override_reason", "say why the status differs from the linked applied controls"});
    }
  }
  return errors;
}

std::string DeriveSoaStatus(const std::vector<std::string>& statuses) {
  if (statuses.empty()) return "not_implemented";
  size_t implemented = 0;
  bool in_progress = false;
  for (const auto& s : statuses) {
    if (s == "not_effective") return "not_effective";
    if (s == "implemented") ++implemented;
    if (s == "in_progress") in_progress = true;
  }
  if (implemented == statuses.size()) return "implemented";
  if (implemented > 0) return "partially_implemented";
  return in_progress ? "in_progress" : "planned";
}

std::map<std::string, SoaLinks, std::less<>> LinkSoaControls(
    const std::vector<SoaAppliedControl>& applied_controls,
    const std::vector<std::pair<int64_t, int64_t>>& risk_links, size_t keep) {
  std::unordered_map<int64_t, std::vector<int64_t>> risks_of_control;
  for (const auto& [risk, control] : risk_links) risks_of_control[control].push_back(risk);
  std::map<std::string, std::vector<const SoaAppliedControl*>, std::less<>> linked;
  for (const auto& c : applied_controls) {
    for (const auto& id : c.annex_controls) {
      auto& list = linked[id];
      // an applied control listing the id twice counts once
      if (std::find(list.begin(), list.end(), &c) == list.end()) list.push_back(&c);
    }
  }
  std::map<std::string, SoaLinks, std::less<>> out;
  std::vector<int64_t> risks;
  for (const auto& [annex_id, controls] : linked) {
    SoaLinks& l = out[annex_id];
    std::vector<std::string> statuses;
    risks.clear();
    for (const auto* c : controls) {
      l.applied_controls.push_back({c->id, c->name, c->status, {}});
      statuses.push_back(c->status);
      const auto r = risks_of_control.find(c->id);
      if (r != risks_of_control.end())
        risks.insert(risks.end(), r->second.begin(), r->second.end());
    }
    std::sort(l.applied_controls.begin(), l.applied_controls.end(),
              [](const SoaAppliedControl& a, const SoaAppliedControl& b) {
                return std::tie(a.name, a.id) < std::tie(b.name, b.id);
              });
    std::sort(risks.begin(), risks.end());
    risks.erase(std::unique(risks.begin(), risks.end()), risks.end());
    l.risk_count = static_cast<int64_t>(risks.size());
    l.risks.assign(risks.begin(),
                   risks.begin() + static_cast<std::ptrdiff_t>(std::min(keep, risks.size())));
    l.derived_status = DeriveSoaStatus(statuses);
  }
  return out;
}

std::vector<SoaLine> BuildSoaLines(const std::vector<SoaEntry>& entries,
                                   const std::map<std::string, SoaLinks, std::less<>>& links) {
  std::map<std::string, const SoaEntry*, std::less<>> by_control;
  for (const auto& e : entries) by_control[e.control_id] = &e;
  static const std::string kUnlinkedStatus = DeriveSoaStatus({});
  std::vector<SoaLine> lines;
  lines.reserve(AnnexAControls().size());
  for (const auto& control : AnnexAControls()) {
    SoaLine line;
    line.control = &control;
    const auto entry = by_control.find(control.id);
    if (entry != by_control.end()) {
      line.entry = *entry->second;
    } else {
      line.entry.control_id = control.id;
    }
    const auto l = links.find(control.id);
    if (l != links.end()) {
      line.applied_controls = l->second.applied_controls;
      line.risks = l->second.risks;
      line.risk_count = l->second.risk_count;
      line.derived_status = l->second.derived_status;
    } else {
      line.derived_status = kUnlinkedStatus;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<SoaLine> BuildSoaLines(const std::vector<SoaEntry>& entries,
                                   const std::vector<SoaAppliedControl>& applied_controls,
                                   const std::vector<std::pair<int64_t, int64_t>>& risk_links) {
  return BuildSoaLines(entries, LinkSoaControls(applied_controls, risk_links));
}

// The catalogue's part of a line (control_id, title, theme, attributes), built once per
// control: a listing copies it instead of building it again for every line of every request.
const Json& ControlJson(const AnnexAControl& c) {
  static const std::map<std::string, Json, std::less<>> kByControl = [] {
    std::map<std::string, Json, std::less<>> out;
    for (const auto& a : AnnexAControls()) {
      Json attributes = Json::object();
      attributes["control_type"] = a.control_types;
      attributes["security_property"] = a.security_properties;
      attributes["cybersecurity_concept"] = a.cybersecurity_concepts;
      attributes["operational_capability"] = a.operational_capabilities;
      attributes["security_domain"] = a.security_domains;
      Json j = Json::object();
      j["control_id"] = a.id;
      j["title"] = a.title;
      j["theme"] = a.theme;
      j["attributes"] = std::move(attributes);
      out.emplace(a.id, std::move(j));
    }
    return out;
  }();
  return kByControl.at(c.id);
}

Json SoaLineJson(const SoaLine& line) {
  const SoaEntry& e = line.entry;
  // Assigned member by member: nlohmann's nested initializer lists copy every value again, which
  // made this a third of the SoA page's time.
  Json j = ControlJson(*line.control);
  j["applicable"] = e.applicable ? Json(*e.applicable) : Json();
  j["reasons"] = e.reasons;
  j["justification"] = TextOrNull(e.justification);
  j["status"] = line.Status();
  j["derived_status"] = line.derived_status;
  j["status_override"] = TextOrNull(e.status_override);
  j["override_reason"] = TextOrNull(e.override_reason);
  Json controls = Json::array();
  for (const auto& a : line.applied_controls) {
    Json c = Json::object();
    c["id"] = a.id;
    c["name"] = a.name;
    c["status"] = a.status;
    controls.push_back(std::move(c));
  }
  j["applied_controls"] = std::move(controls);
  j["risks"] = line.risks;
  j["risk_count"] = line.risk_count;
  j["version"] = e.version;
  j["updated_at"] = TextOrNull(e.updated_at);
  j["updated_by"] = e.updated_by == 0 ? Json() : Json(e.updated_by);
  return j;
}

Status CheckSoaFilter(const SoaFilter& f) {
  const auto& themes = AnnexAThemes();
  if (!f.theme.empty() && std::find(themes.begin(), themes.end(), f.theme) == themes.end()) {
    return InvalidArgument(fmt::format("unknown theme \"{}\"", f.theme), "theme");
  }
  if (!f.attribute.empty()) {
    const std::string_view value =
        f.attribute.front() == '#' ? std::string_view(f.attribute).substr(1) : f.attribute;
    bool known = false;
    for (const auto& a : AnnexAAttributes()) {
      known = known || std::find(a.values.begin(), a.values.end(), value) != a.values.end();
    }
    if (!known) {
      return InvalidArgument(fmt::format("unknown ISO/IEC 27002 attribute \"{}\"", f.attribute),
                             "attribute");
    }
  }
  if (!f.applicable.empty() && f.applicable != "yes" && f.applicable != "no" &&
      f.applicable != "undecided") {
    return InvalidArgument("applicable must be yes, no or undecided", "applicable");
  }
  return Status::Ok();
}

bool SoaLineMatches(const SoaLine& line, const SoaFilter& f) {
  if (!f.theme.empty() && line.control->theme != f.theme) return false;
  if (!f.attribute.empty()) {
    const std::string_view value =
        f.attribute.front() == '#' ? std::string_view(f.attribute).substr(1) : f.attribute;
    if (!line.control->HasAttribute(value)) return false;
  }
  const auto& a = line.entry.applicable;
  if (f.applicable == "yes" && a != true) return false;
  if (f.applicable == "no" && a != false) return false;
  if (f.applicable == "undecided" && a.has_value()) return false;
  return true;
}

std::vector<SoaControlChange> CompareSoa(const Json& from, const Json& to) {
  auto index = [](const Json& snapshot) {
    std::map<std::string, const Json*, std::less<>> out;
    if (!snapshot.is_array()) return out;
    for (const auto& line : snapshot) {
      if (line.is_object() && line.contains("control_id") && line["control_id"].is_string()) {
        out[line["control_id"].get<std::string>()] = &line;
      }
    }
    return out;
  };
  const auto a = index(from);
  const auto b = index(to);
  // The compared value of a field: applied controls by id (their names and statuses change
  // elsewhere; the derived status shows what matters of it).
  auto value = [](const std::map<std::string, const Json*, std::less<>>& lines,
                  const std::string& id, const char* field) -> Json {
    const auto it = lines.find(id);
    // A missing line reads as an undecided control without links.
    static const Json kUndecided = {{"reasons", Json::array()},
                                    {"status", "not_implemented"},
                                    {"applied_controls", Json::array()},
                                    {"risks", Json::array()}};
    const Json v = (it == lines.end() ? kUndecided : *it->second).value(field, Json());
    if (std::string_view(field) != "applied_controls" || !v.is_array()) return v;
    Json ids = Json::array();
    for (const auto& c : v) ids.push_back(c.is_object() ? c.value("id", Json()) : c);
    return ids;
  };
  static constexpr const char* kFields[] = {
      "applicable",      "reasons",         "justification",    "status",
      "status_override", "override_reason", "applied_controls", "risks"};
  std::vector<SoaControlChange> out;
  for (const auto& control : AnnexAControls()) {
    SoaControlChange change{control.id, control.title, {}};
    for (const char* field : kFields) {
      Json x = value(a, control.id, field);
      Json y = value(b, control.id, field);
      if (x != y) change.changes.push_back({field, std::move(x), std::move(y)});
    }
    if (!change.changes.empty()) out.push_back(std::move(change));
  }
  return out;
}

const std::vector<std::string>& SoaExportHeader() {
  static const std::vector<std::string> kHeader = {"Control",
                                                   "Title",
                                                   "Theme",
                                                   "Control type",
                                                   "Security properties",
                                                   "Cybersecurity concepts",
                                                   "Operational capabilities",
                                                   "Security domains",
                                                   "Applicable",
                                                   "Reasons for inclusion",
                                                   "Justification",
                                                   "Implementation status",
                                                   "Derived status",
                                                   "Status override",
                                                   "Override reason",
                                                   "Applied controls",
                                                   "Risks"};
  return kHeader;
}

std::vector<std::string> SoaExportRow(const SoaLine& line) {
  const AnnexAControl& c = *line.control;
  const SoaEntry& e = line.entry;
  std::vector<std::string> reasons;
  for (const auto& r : e.reasons) reasons.push_back(SoaReasonLabel(r));
  std::vector<std::string> controls;
  for (const auto& a : line.applied_controls) {
    controls.push_back(fmt::format("{} ({})", a.name, ToLower(SoaStatusLabel(a.status))));
  }
  std::vector<std::string> risks;
  for (int64_t id : line.risks) risks.push_back(std::to_string(id));
  return {c.id,
          c.title,
          c.theme,
          Join(c.control_types, "; "),
          Join(c.security_properties, "; "),
          Join(c.cybersecurity_concepts, "; "),
          Join(c.operational_capabilities, "; "),
          Join(c.security_domains, "; "),
          !e.applicable   ? "Undecided"
          : *e.applicable ? "Yes"
                          : "No",
          Join(reasons, "; "),
          e.justification,
          SoaStatusLabel(line.Status()),
          SoaStatusLabel(line.derived_status),
          e.status_override.empty() ? "" : SoaStatusLabel(e.status_override),
          e.override_reason,
          Join(controls, "; "),
          Join(risks, "; ")};
}

}  // namespace rampart::domain
