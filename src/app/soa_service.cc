#include "app/soa_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>
#include <unordered_map>

#include "app/access_control.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "domain/risk.h"

namespace rampart::app {

using domain::Json;
using domain::SoaEntry;
using domain::SoaLine;
using domain::SoaLinks;

namespace {

constexpr size_t kMaxNote = 2000;

Status CheckCanChange(const Principal& p, domain::Permission permission) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  return Require(p, permission);
}

Status CheckControl(std::string_view control_id) {
  if (domain::FindAnnexAControl(control_id) == nullptr) {
    return NotFound(fmt::format("\"{}\" is not an Annex A control", control_id));
  }
  return Status::Ok();
}

// The audit diff of a decision: each changed field, and the control on the first decision.
Json DecisionDiff(const std::optional<SoaEntry>& before, const SoaEntry& after) {
  auto fields = [](const SoaEntry& e) {
    return Json{{"applicable", e.applicable ? Json(*e.applicable) : Json()},
                {"reasons", e.reasons},
                {"justification", e.justification},
                {"status_override", e.status_override},
                {"override_reason", e.override_reason}};
  };
  const Json a = before ? fields(*before)
                        : Json{{"applicable", nullptr},
                               {"reasons", Json::array()},
                               {"justification", ""},
                               {"status_override", ""},
                               {"override_reason", ""}};
  const Json b = fields(after);
  Json diff = Json::object();
  if (!before) diff["control_id"] = Change(nullptr, after.control_id);
  for (const auto& [name, value] : b.items()) {
    if (a[name] != value) diff[name] = Change(a[name], value);
  }
  return diff;
}

}  // namespace

// The record types whose changes change what the lines link to.
static const std::vector<std::string>& LinkedTypes() {
  static const std::vector<std::string> kTypes = {domain::Risks().type,
                                                  domain::AppliedControls().type};
  return kTypes;
}

Result<std::vector<SoaLine>> SoaService::AllLines(const Principal& p,
                                                  const std::vector<SoaEntry>& entries) {
  ASSIGN_OR_RETURN(auto controls, store_.AnnexLinkedControls(p.org_id));
  ASSIGN_OR_RETURN(auto links, store_.RecordLinks(p.org_id, domain::Risks().type, "controls"));
  return domain::BuildSoaLines(entries, controls, links);
}

Result<std::optional<std::pair<SoaService::Links, int64_t>>> SoaService::UpdateLinks(
    int64_t org_id, const Links& kept, int64_t since) {
  using Updated = std::optional<std::pair<Links, int64_t>>;
  constexpr int kMaxEvents = 500;  // beyond, deriving again is as quick
  constexpr size_t kMaxRefills = 10;
  ASSIGN_OR_RETURN(auto events, store_.EventsSince(org_id, LinkedTypes(), since, kMaxEvents + 1));
  if (events.empty() || events.size() > static_cast<size_t>(kMaxEvents)) return Updated();
  for (const auto& e : events) {
    // Which Annex A controls an applied control names moves all its risks: derive again.
    if (e.record_type != domain::Risks().type && e.diff.contains("annex_controls")) {
      return Updated();
    }
  }
  // The Annex A controls each applied control names, and the lines with the risks as they were
  // kept: when only risks changed, the applied controls are those kept (nothing read); else as
  // they are now (names and statuses may have changed).
  const bool risks_only = std::all_of(events.begin(), events.end(), [](const auto& e) {
    return e.record_type == domain::Risks().type;
  });
  Links links;
  std::unordered_map<int64_t, std::vector<std::string>> annex_of;
  if (risks_only) {
    links = kept;
    for (const auto& [annex_id, l] : links) {
      for (const auto& c : l.applied_controls) annex_of[c.id].push_back(annex_id);
    }
  } else {
    ASSIGN_OR_RETURN(auto controls, store_.AnnexLinkedControls(org_id));
    links = domain::LinkSoaControls(controls, {}, kKeptRisks);
    for (auto& [annex_id, l] : links) {
      const auto k = kept.find(annex_id);
      if (k == kept.end()) continue;
      l.risks = k->second.risks;
      l.risk_count = k->second.risk_count;
    }
    for (auto& c : controls) annex_of[c.id] = std::move(c.annex_controls);
  }
  auto annex_set = [&](const Json& ids) {
    std::set<std::string> out;
    if (!ids.is_array()) return out;
    for (const auto& id : ids) {
      if (!id.is_number_integer()) continue;
      const auto a = annex_of.find(id.get<int64_t>());
      if (a != annex_of.end()) out.insert(a->second.begin(), a->second.end());
    }
    return out;
  };
  std::set<std::string> refill;  // lines that lost a named risk
  for (const auto& e : events) {
    if (e.record_type != domain::Risks().type) continue;
    const auto change = e.diff.find("controls");
    if (change == e.diff.end()) continue;
    const auto before = annex_set(change->value("from", Json()));
    const auto after = annex_set(change->value("to", Json()));
    const int64_t risk = e.record_id;
    for (const auto& a : before) {
      if (after.count(a) != 0) continue;
      SoaLinks& l = links[a];
      l.risk_count -= 1;
      const auto it = std::find(l.risks.begin(), l.risks.end(), risk);
      if (it != l.risks.end()) {
        l.risks.erase(it);
        refill.insert(a);
      }
    }
    for (const auto& a : after) {
      if (before.count(a) != 0) continue;
      SoaLinks& l = links[a];
      l.risk_count += 1;
      // Kept: the lowest ids of the line's risks, all of them or kKeptRisks at most.
      const bool all_kept = static_cast<int64_t>(l.risks.size()) >= l.risk_count - 1;
      if (all_kept || (!l.risks.empty() && risk < l.risks.back())) {
        l.risks.insert(std::upper_bound(l.risks.begin(), l.risks.end(), risk), risk);
        if (l.risks.size() > kKeptRisks) l.risks.pop_back();
      }
    }
  }
  // A line that lost kept risks reads its first ones again only when fewer than a listing names
  // are left of them and the line has more risks.
  std::erase_if(refill, [&](const std::string& a) {
    const SoaLinks& l = links[a];
    return l.risks.size() >= kListedRisks || l.risk_count <= static_cast<int64_t>(l.risks.size());
  });
  if (refill.size() > kMaxRefills) return Updated();
  for (const auto& a : refill) {
    SoaLinks& l = links[a];
    std::vector<int64_t> targets;
    for (const auto& c : l.applied_controls) targets.push_back(c.id);
    if (targets.empty()) return Updated();  // cannot be (no Annex A change): derive again
    // Read after the events, so possibly newer than they describe: the caller keeps the result
    // only if nothing changed since (ListedLinks checks).
    // A line treating a good share of the risks finds its first ones soon in id order.
    constexpr int64_t kMany = 1000;
    ASSIGN_OR_RETURN(l.risks,
                     store_.FirstLinking(org_id, domain::Risks().type, "controls", targets,
                                         static_cast<int>(kKeptRisks), l.risk_count >= kMany));
  }
  // A line refilled from the links is only known to be current at the last change if nothing
  // changed after the events were read: -last marks "check first".
  const int64_t last = events.back().seq;
  return Updated(std::make_pair(std::move(links), refill.empty() ? last : -last));
}

Result<std::shared_ptr<const SoaService::Links>> SoaService::ListedLinks(int64_t org_id) {
  // The mark is read before anything it covers: a change committed in between makes what is
  // read newer than the mark, never older, and the next listing looks again.
  ASSIGN_OR_RETURN(const int64_t mark, store_.LastChange(org_id, LinkedTypes()));
  KeptLinks kept;
  std::shared_ptr<Gate> gate;
  {
    std::lock_guard lock(mu_);
    const auto it = kept_.find(org_id);
    if (it != kept_.end()) kept = it->second;
    if (kept.links == nullptr || kept.last_change != mark) {
      constexpr size_t kMaxGates = 1000;  // as many as the organisations kept
      if (gates_.size() >= kMaxGates && gates_.find(org_id) == gates_.end()) gates_.clear();
      auto& g = gates_[org_id];
      if (g == nullptr) g = std::make_shared<Gate>();
      gate = g;
    }
  }
  if (gate == nullptr) return kept.links;
  // One listing of the organisation brings its links up to date at a time: the others wait, then
  // take what it read when that is at least as new as their mark (N listings after a start
  // derive once), or bring up to date what is kept by then.
  std::lock_guard one_at_a_time(gate->mu);
  if (gate->links != nullptr && gate->mark >= mark) return gate->links;
  {
    std::lock_guard lock(mu_);
    const auto it = kept_.find(org_id);
    kept = it != kept_.end() ? it->second : KeptLinks{};
  }
  if (kept.links != nullptr && kept.last_change == mark) return kept.links;
  std::shared_ptr<const Links> derived;
  int64_t derived_mark = mark;
  bool check = true;  // what was read may be newer than derived_mark
  if (kept.links != nullptr && kept.last_change < mark) {
    ASSIGN_OR_RETURN(auto updated, UpdateLinks(org_id, *kept.links, kept.last_change));
    if (updated) {
      derived = std::make_shared<const Links>(std::move(updated->first));
      derived_mark = std::abs(updated->second);
      check = updated->second < 0;
    }
  }
  if (derived == nullptr) {
    ASSIGN_OR_RETURN(auto controls, store_.AnnexLinkedControls(org_id));
    ASSIGN_OR_RETURN(auto links, store_.RecordLinks(org_id, domain::Risks().type, "controls"));
    derived = std::make_shared<const Links>(domain::LinkSoaControls(controls, links, kKeptRisks));
  }
  // Kept only when known to be exactly as of derived_mark: later events are applied to it, and
  // one already in it would count twice.
  bool keep = true;
  if (check) {
    ASSIGN_OR_RETURN(const int64_t now, store_.LastChange(org_id, LinkedTypes()));
    keep = now == derived_mark;
  }
  gate->mark = derived_mark;
  gate->links = derived;
  constexpr size_t kMaxKept = 1000;  // organisations; a few KB each
  std::lock_guard lock(mu_);
  if (!keep) {
    kept_.erase(org_id);
    return derived;
  }
  if (kept_.size() >= kMaxKept && kept_.find(org_id) == kept_.end()) kept_.clear();
  KeptLinks& slot = kept_[org_id];
  if (slot.links == nullptr || slot.last_change <= derived_mark) slot = {derived_mark, derived};
  return derived;
}

Result<std::vector<SoaLine>> SoaService::List(const Principal& p, const domain::SoaFilter& filter) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  RETURN_IF_ERROR(domain::CheckSoaFilter(filter));
  ASSIGN_OR_RETURN(auto links, ListedLinks(p.org_id));
  ASSIGN_OR_RETURN(auto entries, store_.SoaEntries(p.org_id));
  auto lines = domain::BuildSoaLines(entries, *links);
  std::erase_if(lines, [&](const SoaLine& l) { return !domain::SoaLineMatches(l, filter); });
  for (auto& l : lines) {
    if (l.risks.size() > kListedRisks)
      l.risks.resize(kListedRisks);  // the rest are kept in reserve
  }
  return lines;
}

Result<SoaLine> SoaService::Get(const Principal& p, std::string_view control_id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  RETURN_IF_ERROR(CheckControl(control_id));
  std::vector<SoaEntry> entries;
  auto entry = store_.GetSoaEntry(p.org_id, std::string(control_id));
  if (entry.ok()) {
    entries.push_back(*std::move(entry));
  } else if (entry.status().code() != Code::kNotFound) {
    return entry.status();
  }
  // Only this control's applied controls and their risks.
  ASSIGN_OR_RETURN(auto controls, store_.AnnexLinkedControls(p.org_id));
  std::erase_if(controls, [&](const domain::SoaAppliedControl& c) {
    return std::find(c.annex_controls.begin(), c.annex_controls.end(), control_id) ==
           c.annex_controls.end();
  });
  std::vector<std::pair<int64_t, int64_t>> links;
  if (!controls.empty()) {
    std::vector<int64_t> ids;
    for (const auto& c : controls) ids.push_back(c.id);
    ASSIGN_OR_RETURN(links, store_.RecordLinks(p.org_id, domain::Risks().type, "controls", ids));
  }
  for (auto& line : domain::BuildSoaLines(entries, controls, links)) {
    if (line.control->id == control_id) return std::move(line);
  }
  return Internal("the catalogue has no line for a catalogue control");  // unreachable
}

Result<SoaLine> SoaService::Update(const Principal& p, std::string_view control_id,
                                   std::optional<int64_t> expected_version, const Json& input,
                                   std::vector<domain::FieldError>* errors) {
  RETURN_IF_ERROR(CheckCanChange(p, domain::Permission::kEditRecords));
  RETURN_IF_ERROR(CheckControl(control_id));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired,
                  "say which version of the entry you are changing (If-Match; 0 for a control "
                  "not decided yet)");
  }
  std::vector<domain::FieldError> problems;
  const SoaEntry entry = domain::SoaEntryFromInput(std::string(control_id), input, problems);
  if (errors != nullptr) *errors = problems;
  RETURN_IF_ERROR(FirstError(problems));
  std::optional<SoaEntry> before;
  auto stored = store_.GetSoaEntry(p.org_id, entry.control_id);
  if (stored.ok()) {
    before = *std::move(stored);
  } else if (stored.status().code() != Code::kNotFound) {
    return stored.status();
  }
  // The store checks the version again inside its transaction; this answers early.
  const int64_t current = before ? before->version : 0;
  if (*expected_version != current) {
    return Conflict(fmt::format(
        "the entry of control {} is at version {}, not {}: it was changed by someone else; "
        "reload and try again",
        control_id, current, *expected_version));
  }
  RETURN_IF_ERROR(store_
                      .PutSoaEntry(registers_.ActorFor(p), entry, *expected_version,
                                   DecisionDiff(before, entry))
                      .status());
  return Get(p, control_id);
}

Result<std::vector<SoaLine>> SoaService::DecideMany(const Principal& p,
                                                    const std::vector<ControlVersion>& controls,
                                                    const Json& input,
                                                    std::vector<domain::FieldError>* errors) {
  RETURN_IF_ERROR(CheckCanChange(p, domain::Permission::kEditRecords));
  std::vector<domain::FieldError> problems;
  auto refuse = [&]() -> Status {
    if (errors != nullptr) *errors = problems;
    return FirstError(problems);
  };
  if (!input.is_object()) {
    problems.push_back({"applicable", "the decision must be an object"});
    return refuse();
  }
  for (const auto& [name, value] : input.items()) {
    if (name != "applicable" && name != "reasons" && name != "justification") {
      problems.push_back(
          {name, fmt::format("{} cannot be decided for several controls at once: only "
                             "applicable, reasons and justification can",
                             name)});
    }
  }
  if (controls.empty()) problems.push_back({"controls", "choose at least one control"});
  std::set<std::string> seen;
  for (const auto& c : controls) {
    if (domain::FindAnnexAControl(c.control_id) == nullptr) {
      problems.push_back(
          {"controls", fmt::format("\"{}\" is not an Annex A control", c.control_id)});
    } else if (!seen.insert(c.control_id).second) {
      problems.push_back({"controls", fmt::format("control {} is named twice", c.control_id)});
    }
  }
  // The decision's own problems, once (they are the same for every control).
  const Json decision = {{"applicable", input.value("applicable", Json())},
                         {"reasons", input.value("reasons", Json::array())},
                         {"justification", input.value("justification", Json())}};
  domain::SoaEntryFromInput("5.1", decision, problems);
  if (!problems.empty()) return refuse();

  ASSIGN_OR_RETURN(auto entries, store_.SoaEntries(p.org_id));
  std::unordered_map<std::string, const SoaEntry*> stored;
  for (const auto& e : entries) stored[e.control_id] = &e;
  std::vector<store::Store::SoaPut> puts;
  for (const auto& c : controls) {
    const auto it = stored.find(c.control_id);
    const SoaEntry* before = it != stored.end() ? it->second : nullptr;
    const int64_t current = before != nullptr ? before->version : 0;
    if (c.version != current) {
      return Conflict(fmt::format(
          "the entry of control {} is at version {}, not {}: it was changed by someone else; "
          "reload and try again",
          c.control_id, current, c.version));
    }
    Json one = decision;
    if (before != nullptr && !before->status_override.empty()) {
      one["status_override"] = before->status_override;
      one["override_reason"] = before->override_reason;
    }
    // The decision itself is valid: what remains is an override an exclusion cannot keep.
    std::vector<domain::FieldError> own;
    SoaEntry entry = domain::SoaEntryFromInput(c.control_id, one, own);
    if (!own.empty()) {
      problems.push_back(
          {"controls", fmt::format("control {} overrides its implementation status ({}); an "
                                   "excluded control cannot: remove the override first",
                                   c.control_id, domain::SoaStatusLabel(before->status_override))});
      continue;
    }
    Json diff = DecisionDiff(
        before != nullptr ? std::optional<SoaEntry>(*before) : std::optional<SoaEntry>(), entry);
    if (diff.empty()) continue;  // already decided so: no new version
    puts.push_back({std::move(entry), c.version, std::move(diff)});
  }
  if (!problems.empty()) return refuse();
  if (errors != nullptr) errors->clear();
  if (!puts.empty()) RETURN_IF_ERROR(store_.PutSoaEntries(registers_.ActorFor(p), puts).status());
  ASSIGN_OR_RETURN(auto lines, List(p));
  std::erase_if(lines, [&](const SoaLine& l) { return seen.count(l.control->id) == 0; });
  return lines;
}

Result<domain::SoaVersion> SoaService::Approve(const Principal& p, const std::string& note) {
  RETURN_IF_ERROR(CheckCanChange(p, domain::Permission::kApprove));
  const std::string text(Trim(note));
  const long length = Utf8Length(text);
  if (length < 0 || static_cast<size_t>(length) > kMaxNote) {
    return InvalidArgument(fmt::format("the note must be text of at most {} characters", kMaxNote),
                           "note");
  }
  ASSIGN_OR_RETURN(auto entries, store_.SoaEntries(p.org_id));
  ASSIGN_OR_RETURN(auto lines, AllLines(p, entries));
  std::vector<std::string> undecided;
  for (const auto& l : lines) {
    if (!l.entry.applicable) undecided.push_back(l.control->id);
  }
  if (!undecided.empty()) {
    std::string some;
    for (size_t i = 0; i < undecided.size() && i < 5; ++i) {
      some += (i == 0 ? "" : ", ") + undecided[i];
    }
    if (undecided.size() > 5) some += ", ...";
    return FailedPrecondition(
        fmt::format("{} of the {} controls {} not decided yet ({}): decide whether each is "
                    "applicable before approving",
                    undecided.size(), lines.size(), undecided.size() == 1 ? "is" : "are", some));
  }
  int64_t version_sum = 0;
  for (const auto& e : entries) version_sum += e.version;
  const store::Actor actor = registers_.ActorFor(p);
  domain::SoaVersion v;
  v.approved_by = p.user_id;
  v.approver = p.display_name.empty() ? p.username : p.display_name;
  v.approved_at = actor.now;
  v.note = text;
  v.snapshot = Json::array();
  for (const auto& l : lines) v.snapshot.push_back(domain::SoaLineJson(l));
  return store_.AddSoaVersion(actor, std::move(v), version_sum);
}

Result<std::vector<domain::SoaVersion>> SoaService::Versions(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.ListSoaVersions(p.org_id);
}

Result<domain::SoaVersion> SoaService::Version(const Principal& p, int64_t number) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.GetSoaVersion(p.org_id, number);
}

Result<Json> SoaService::Snapshot(const Principal& p, std::string_view ref, const char* field) {
  if (ref == "current") {
    ASSIGN_OR_RETURN(auto entries, store_.SoaEntries(p.org_id));
    ASSIGN_OR_RETURN(auto lines, AllLines(p, entries));
    Json out = Json::array();
    for (const auto& l : lines) out.push_back(domain::SoaLineJson(l));
    return out;
  }
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), number);
  if (ref.empty() || ec != std::errc() || end != ref.data() + ref.size() || number < 1) {
    return InvalidArgument(fmt::format("{} must be a version number or \"current\"", field), field);
  }
  ASSIGN_OR_RETURN(auto v, Version(p, number));
  return std::move(v.snapshot);
}

Result<SoaComparison> SoaService::Compare(const Principal& p, std::string_view from,
                                          std::string_view to) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(Json a, Snapshot(p, from, "from"));
  ASSIGN_OR_RETURN(Json b, Snapshot(p, to, "to"));
  return SoaComparison{std::string(from), std::string(to), domain::CompareSoa(a, b)};
}

Result<std::vector<SoaLine>> SoaService::Lines(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto entries, store_.SoaEntries(p.org_id));
  return AllLines(p, entries);
}

Result<std::string> SoaService::ExportCsv(const Principal& p) {
  ASSIGN_OR_RETURN(auto lines, Lines(p));
  std::string out = CsvRow(domain::SoaExportHeader());
  for (const auto& l : lines) out += CsvRow(domain::SoaExportRow(l));
  return out;
}

Result<std::string> SoaService::ExportXlsx(const Principal& p) {
  ASSIGN_OR_RETURN(auto lines, Lines(p));
  std::vector<std::vector<std::string>> rows;
  rows.reserve(lines.size());
  for (const auto& l : lines) rows.push_back(domain::SoaExportRow(l));
  return XlsxBytes("Statement of Applicability", domain::SoaExportHeader(), rows);
}

}  // namespace rampart::app
