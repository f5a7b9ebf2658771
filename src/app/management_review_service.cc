#include "app/management_review_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "app/access_control.h"
#include "app/leadership_service.h"
#include "domain/context.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/monitoring.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/record_steps.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "domain/tasks.h"

namespace rampart::app {

using domain::Json;
using domain::Record;
using domain::RegisterSpec;
using store::Mutation;

namespace {

const RegisterSpec& Reviews() { return domain::ManagementReviews(); }

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// `s` with Markdown's punctuation escaped, so a record's title is shown as written.
std::string Md(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (std::string_view("\\`*_{}[]()#+-.!<>|~").find(c) != std::string_view::npos) out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

std::string LinkTo(const RegisterSpec& spec, const Record& r) {
  std::string title = Str(r.fields.value(spec.title_field, Json()));
  if (title.empty()) title = fmt::format("{} {}", spec.singular, r.id);
  return fmt::format("[{}](/{}/{})", Md(title), spec.path, r.id);
}

std::string Label(const RegisterSpec& spec, std::string_view field, const Json& value) {
  const domain::FieldSpec* f = spec.Field(field);
  if (f == nullptr || !value.is_string()) return value.is_null() ? "—" : value.dump();
  return f->ChoiceLabel(value.get<std::string>());
}

// The period a review looks back on: after `from` (empty: from the start) up to `to`.
struct Period {
  std::string from;
  std::string to;
  bool Holds(std::string_view date) const {
    if (date.size() < 10) return false;
    date = date.substr(0, 10);
    return (from.empty() || date > from) && date <= to;
  }
  std::string Since() const { return from.empty() ? "so far" : "since " + from; }
};

// Builds one topic's Markdown.
struct Summary {
  std::string text;
  void Line(std::string_view s) {
    text += s;
    text += "\n\n";
  }
  void Item(std::string_view s) {
    text += "- ";
    text += s;
    text += "\n";
  }
  void EndList() { text += "\n"; }
};

class Snapshot {
 public:
  Snapshot(store::Store& store, MetricService& metrics, const Principal& p, Period period)
      : store_(store), metrics_(metrics), p_(p), period_(std::move(period)) {}

  // The records of `spec` whose `date_field` falls in the period, newest first (at most
  // kListed + 1 of the first 200 by that date), with `total` how many of those 200 do.
  Result<std::vector<Record>> InPeriod(const RegisterSpec& spec, const std::string& date_field,
                                       size_t& total) {
    domain::ListQuery q{.sort = date_field, .descending = true, .limit = 200};
    ASSIGN_OR_RETURN(auto page, store_.List(spec, p_.org_id, q));
    std::vector<Record> out;
    total = 0;
    for (auto& r : page.records) {
      const std::string date =
          date_field == "updated_at" ? r.updated_at : Str(r.fields.value(date_field, Json()));
      if (!period_.Holds(date)) continue;
      ++total;
      if (out.size() < static_cast<size_t>(ManagementReviewService::kListed)) {
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  // "Open 2 · Closed 5": the records of `spec` by `field`, in the order of its choices.
  Result<std::string> CountsBy(const RegisterSpec& spec, const std::string& field, int64_t& total) {
    ASSIGN_OR_RETURN(auto groups, store_.CountBy(spec, p_.org_id, {}, {field}));
    std::map<std::string, int64_t> by;
    total = 0;
    for (const auto& g : groups) {
      by[g.values.empty() || !g.values[0].is_string() ? "" : g.values[0].get<std::string>()] +=
          g.count;
      total += g.count;
    }
    std::string out;
    const domain::FieldSpec* f = spec.Field(field);
    auto add = [&](const std::string& label, int64_t n) {
      if (n == 0) return;
      if (!out.empty()) out += " · ";
      out += fmt::format("{} {}", Md(label), n);
    };
    if (f != nullptr && !f->choices.empty()) {
      for (const auto& c : f->choices) add(c.label, by[c.value]);
    } else {
      for (const auto& [value, n] : by) add(value.empty() ? "not set" : value, n);
    }
    return out;
  }

  // Records changed in the period: "added" or "changed", linked.
  Status Changes(Summary& s, const RegisterSpec& spec, std::string_view what) {
    size_t total = 0;
    ASSIGN_OR_RETURN(auto changed, InPeriod(spec, "updated_at", total));
    if (total == 0) {
      s.Line(fmt::format("No {} was added or changed {}.", what, period_.Since()));
      return Status::Ok();
    }
    s.Line(fmt::format("{} {} added or changed {}:", total, Plural(total, what), period_.Since()));
    for (const auto& r : changed) {
      const bool added = period_.Holds(r.created_at);
      s.Item(fmt::format("{} — {} {}", LinkTo(spec, r), added ? "added" : "changed",
                         r.updated_at.substr(0, 10)));
    }
    More(s, total, changed.size());
    return Status::Ok();
  }

  // What happened in the period: the records of `spec` whose `date_field` falls in it, under
  // `heading` ("Incidents reported") as items `item` writes, or `none` when there are none.
  Status Happened(Summary& s, const RegisterSpec& spec, const std::string& date_field,
                  std::string_view none, std::string_view heading,
                  const std::function<std::string(const Record&)>& item) {
    size_t total = 0;
    ASSIGN_OR_RETURN(auto listed, InPeriod(spec, date_field, total));
    if (total == 0) {
      s.Line(fmt::format("{} {}.", none, period_.Since()));
      return Status::Ok();
    }
    s.Line(fmt::format("{} {}: {}", heading, period_.Since(), total));
    for (const auto& r : listed) s.Item(fmt::format("{} — {}", LinkTo(spec, r), item(r)));
    More(s, total, listed.size());
    return Status::Ok();
  }

  static std::string Plural(size_t n, std::string_view what) {
    return n == 1 ? std::string(what) : std::string(what) + "s";
  }
  static void More(Summary& s, size_t total, size_t shown) {
    if (total > shown) s.Item(fmt::format("… and {} more", total - shown));
    s.EndList();
  }

  const Period& period() const { return period_; }
  store::Store& store() { return store_; }
  MetricService& metrics() { return metrics_; }
  const Principal& principal() const { return p_; }

 private:
  store::Store& store_;
  MetricService& metrics_;
  const Principal& p_;
  Period period_;
};

// a) The decisions of the previous review and what became of their follow-ups.
Status PreviousActions(Snapshot& snap, const std::optional<Record>& previous, Summary& s) {
  if (!previous) {
    s.Line("This is the first management review recorded: there are no earlier actions.");
    return Status::Ok();
  }
  s.Line(fmt::format("Previous review: {} of {}.", LinkTo(Reviews(), *previous),
                     Str(previous->fields["review_date"])));
  const Json decisions = previous->fields.value("decisions", Json());
  // The follow-ups' states: one statement per register.
  std::map<std::string, std::vector<int64_t>> wanted;
  if (decisions.is_array()) {
    for (const auto& d : decisions) {
      if (d.value("follow_up", Json()).is_number_integer()) {
        wanted[Str(d.value("kind", Json()))].push_back(d["follow_up"].get<int64_t>());
      }
    }
  }
  std::map<std::pair<std::string, int64_t>, Record> found;
  for (const auto& [kind, ids] : wanted) {
    const RegisterSpec* spec = domain::FollowUpRegister(kind);
    if (spec == nullptr) continue;
    domain::ListQuery q{.filters = {{"id", Json(ids)}}, .limit = 500};
    ASSIGN_OR_RETURN(auto page, snap.store().List(*spec, snap.principal().org_id, q));
    for (auto& r : page.records) found[{kind, r.id}] = std::move(r);
  }
  if (!decisions.is_array() || decisions.empty()) {
    s.Line("It recorded no decision.");
  } else {
    s.Line("Its decisions:");
    for (const auto& d : decisions) {
      std::string line = Md(Str(d.value("decision", Json())));
      const std::string kind = Str(d.value("kind", Json()));
      const RegisterSpec* spec = domain::FollowUpRegister(kind);
      if (spec != nullptr && d.value("follow_up", Json()).is_number_integer()) {
        const auto it = found.find({kind, d["follow_up"].get<int64_t>()});
        if (it == found.end()) {
          line += fmt::format(" — {} {} (deleted)", spec->singular, d["follow_up"].dump());
        } else {
          line += fmt::format(" — {}: {}", LinkTo(*spec, it->second),
                              Md(Label(*spec, "status", it->second.fields["status"])));
        }
      } else if (kind == "none") {
        line += " — nothing to follow up";
      } else {
        line += " — not followed up in Rampart";
      }
      s.Item(line);
    }
    s.EndList();
  }
  // Tasks on the previous review itself (made on its page, not from a decision).
  domain::ListQuery q{
      .filters = {{"record_type", std::string(Reviews().type)}, {"record_id", previous->id}},
      .sort = "due_date",
      .limit = ManagementReviewService::kListed};
  ASSIGN_OR_RETURN(auto tasks, snap.store().List(domain::Tasks(), snap.principal().org_id, q));
  std::set<int64_t> listed;
  for (const auto& [key, r] : found) {
    if (key.first == "task") listed.insert(r.id);
  }
  bool any = false;
  for (const auto& t : tasks.records) {
    if (listed.contains(t.id)) continue;
    if (!any) s.Line("Its other tasks:");
    any = true;
    s.Item(fmt::format("{}: {}, due {}", LinkTo(domain::Tasks(), t),
                       Md(Label(domain::Tasks(), "status", t.fields["status"])),
                       Str(t.fields.value("due_date", Json()))));
  }
  if (any) s.EndList();
  return Status::Ok();
}

Status Nonconformities(Snapshot& snap, Summary& s) {
  const RegisterSpec& spec = domain::Nonconformities();
  int64_t all = 0;
  ASSIGN_OR_RETURN(auto counts, snap.CountsBy(spec, "status", all));
  s.Line(all == 0 ? "No nonconformity is recorded."
                  : fmt::format("All nonconformities by status: {}.", counts));
  return snap.Happened(
      s, spec, "detected_on", "None was detected", "Detected", [&](const Record& r) {
        return fmt::format("{}, {}, {}", Md(Label(spec, "grade", r.fields.value("grade", Json()))),
                           Str(r.fields["detected_on"]),
                           Md(Label(spec, "status", r.fields["status"])));
      });
}

Status Monitoring(Snapshot& snap, Summary& s) {
  const RegisterSpec& spec = domain::Metrics();
  domain::ListQuery q{.sort = "title", .limit = 500};
  ASSIGN_OR_RETURN(auto page, snap.store().List(spec, snap.principal().org_id, q));
  std::vector<Record> active;
  const auto& closed = spec.lifecycle->closed;
  for (auto& m : page.records) {
    const std::string state = Str(m.fields.value("status", Json()));
    if (std::find(closed.begin(), closed.end(), state) != closed.end()) continue;  // retired
    active.push_back(std::move(m));
  }
  if (active.empty()) {
    s.Line("No metric is defined (clause 9.1).");
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto statuses, snap.metrics().Statuses(snap.principal(), active));
  std::map<domain::MetricResult, int> counts;
  int due = 0;
  for (const auto& m : active) {
    const auto& st = statuses[m.id];
    ++counts[st.result];
    if (st.due) ++due;
  }
  std::string line;
  for (const auto r : {domain::MetricResult::kOnTarget, domain::MetricResult::kWarning,
                       domain::MetricResult::kOffTarget, domain::MetricResult::kNoData}) {
    if (counts[r] == 0) continue;
    if (!line.empty()) line += " · ";
    line += fmt::format("{} {}", domain::MetricResultLabel(r), counts[r]);
  }
  s.Line(fmt::format("{} active {}: {}{}.", active.size(),
                     Snapshot::Plural(active.size(), "metric"), line,
                     due > 0 ? fmt::format("; {} with a measurement due", due) : ""));
  int listed = 0;
  for (const auto& m : active) {
    const auto& st = statuses[m.id];
    if (st.result != domain::MetricResult::kOffTarget &&
        st.result != domain::MetricResult::kWarning) {
      continue;
    }
    if (listed++ == 0) s.Line("Not on target:");
    std::string value = st.value ? fmt::format("{:g}", *st.value) : "—";
    s.Item(fmt::format("{}: {} ({} on {})", LinkTo(spec, m), domain::MetricResultLabel(st.result),
                       value, st.measured_on));
  }
  if (listed > 0) s.EndList();
  return Status::Ok();
}

Status Audits(Snapshot& snap, Summary& s) {
  const RegisterSpec& audits = domain::InternalAudits();
  RETURN_IF_ERROR(snap.Happened(
      s, audits, "actual_end", "No internal audit was completed", "Internal audits completed",
      [&](const Record& a) {
        return fmt::format("{}, ended {}", Md(Label(audits, "status", a.fields["status"])),
                           Str(a.fields["actual_end"]));
      }));
  const RegisterSpec& findings = domain::AuditFindings();
  return snap.Happened(s, findings, "found_on", "No audit finding was recorded", "Findings",
                       [&](const Record& f) {
                         return fmt::format("{}, {}", Md(Label(findings, "type", f.fields["type"])),
                                            Md(Str(f.fields.value("requirement", Json()))));
                       });
}

Status Objectives(Snapshot& snap, Summary& s) {
  const RegisterSpec& spec = domain::Objectives();
  int64_t all = 0;
  ASSIGN_OR_RETURN(auto counts, snap.CountsBy(spec, "status", all));
  if (all == 0) {
    s.Line("No information security objective is recorded (clause 6.2).");
    return Status::Ok();
  }
  s.Line(fmt::format("Objectives by status: {}.", counts));
  domain::ListQuery q{.filters = {{"status", Json::array({"planned", "in_progress"})}},
                      .sort = "due_date",
                      .limit = ManagementReviewService::kListed};
  ASSIGN_OR_RETURN(auto open, snap.store().List(spec, snap.principal().org_id, q));
  int late = 0;
  for (const auto& o : open.records) {
    if (Str(o.fields["due_date"]) >= snap.period().to) continue;
    if (late++ == 0) s.Line(fmt::format("Past their due date on {}:", snap.period().to));
    s.Item(fmt::format("{} — due {}", LinkTo(spec, o), Str(o.fields["due_date"])));
  }
  if (late > 0) s.EndList();
  return Status::Ok();
}

Status Incidents(Snapshot& snap, Summary& s) {
  const RegisterSpec& spec = domain::Incidents();
  return snap.Happened(s, spec, "reported_on", "No incident was reported", "Incidents reported",
                       [&](const Record& r) {
                         return fmt::format(
                             "{}, {}",
                             Md(Label(spec, "severity", r.fields.value("severity", Json()))),
                             Md(Label(spec, "status", r.fields["status"])));
                       });
}

Status Feedback(Snapshot& snap, Summary& s) {
  RETURN_IF_ERROR(snap.Happened(
      s, domain::CommunicationLog(), "date", "No communication with interested parties was logged",
      "Communications logged", [](const Record& r) { return Str(r.fields["date"]); }));
  s.Line("Summarise in the comment the feedback received (customers, regulators, partners).");
  return Status::Ok();
}

Status Risks(Snapshot& snap, Summary& s) {
  const RegisterSpec& spec = domain::Risks();
  int64_t all = 0;
  ASSIGN_OR_RETURN(auto by_status, snap.CountsBy(spec, "status", all));
  if (all == 0) {
    s.Line("No risk is recorded (clause 6.1.2).");
    return Status::Ok();
  }
  s.Line(fmt::format("{} {} by status: {}.", all, Snapshot::Plural(all, "risk"), by_status));
  int64_t rated = 0;
  ASSIGN_OR_RETURN(auto by_level, snap.CountsBy(spec, "residual_level", rated));
  s.Line(fmt::format("By residual level: {}.", by_level));
  const RegisterSpec& assessments = domain::RiskAssessments();
  return snap.Happened(s, assessments, "updated_at", "No risk assessment was recorded",
                       "Risk assessments", [&](const Record& r) {
                         return Md(Label(assessments, "status", r.fields.value("status", Json())));
                       });
}

Status Improvement(Snapshot& snap, Summary& s) {
  const RegisterSpec& spec = domain::Improvements();
  int64_t all = 0;
  ASSIGN_OR_RETURN(auto counts, snap.CountsBy(spec, "status", all));
  if (all == 0) {
    s.Line("No opportunity for improvement is recorded (clause 10.1).");
    return Status::Ok();
  }
  s.Line(fmt::format("Improvements by status: {}.", counts));
  domain::ListQuery q{.filters = {{"status", Json::array({"proposed", "accepted", "in_progress"})}},
                      .sort = "number",
                      .limit = ManagementReviewService::kListed};
  ASSIGN_OR_RETURN(auto open, snap.store().List(spec, snap.principal().org_id, q));
  if (open.records.empty()) return Status::Ok();
  s.Line("Open:");
  for (const auto& r : open.records) {
    s.Item(fmt::format("{} — {}", LinkTo(spec, r), Md(Label(spec, "status", r.fields["status"]))));
  }
  s.EndList();
  return Status::Ok();
}

bool IsExecutive(int64_t user, const std::vector<domain::UserSummary>& members) {
  for (const auto& m : members) {
    if (m.id == user) return m.role == domain::RoleName(domain::Role::kExecutive) && !m.disabled;
  }
  return false;
}

std::vector<int64_t> Attendees(const Json& fields) {
  std::vector<int64_t> out;
  const Json rows = fields.value("attendees", Json());
  if (!rows.is_array()) return out;
  for (const auto& r : rows) {
    const Json a = r.value("attendee", Json());
    if (a.is_number_integer() && std::find(out.begin(), out.end(), a.get<int64_t>()) == out.end()) {
      out.push_back(a.get<int64_t>());
    }
  }
  return out;
}

}  // namespace

Result<Json> ManagementReviewService::Inputs(const Principal& p, const std::string& date) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  // The previous review: the latest held or approved before this one's date.
  domain::ListQuery q{.filters = {{"status", Json::array({std::string(domain::kReviewHeld),
                                                          std::string(domain::kReviewApproved)})}},
                      .sort = "review_date",
                      .descending = true,
                      .limit = 20};
  ASSIGN_OR_RETURN(auto held, store_.List(Reviews(), p.org_id, q));
  std::optional<Record> previous;
  for (auto& r : held.records) {
    if (Str(r.fields["review_date"]) < date) {
      previous = std::move(r);
      break;
    }
  }
  Period period{.from = previous ? Str(previous->fields["review_date"]) : "", .to = date};
  Snapshot snap(store_, metrics_, p, period);
  Json rows = Json::array();
  for (const auto& topic : domain::ReviewTopics()) {
    Summary s;
    const std::string_view t = topic.value;
    if (t == "previous_actions") {
      RETURN_IF_ERROR(PreviousActions(snap, previous, s));
    } else if (t == "issues") {
      RETURN_IF_ERROR(snap.Changes(s, domain::ContextIssues(), "context issue"));
    } else if (t == "interested_parties") {
      RETURN_IF_ERROR(snap.Changes(s, domain::InterestedParties(), "interested party"));
    } else if (t == "nonconformities") {
      RETURN_IF_ERROR(Nonconformities(snap, s));
    } else if (t == "monitoring") {
      RETURN_IF_ERROR(Monitoring(snap, s));
    } else if (t == "audits") {
      RETURN_IF_ERROR(Audits(snap, s));
    } else if (t == "objectives") {
      RETURN_IF_ERROR(Objectives(snap, s));
    } else if (t == "incidents") {
      RETURN_IF_ERROR(Incidents(snap, s));
    } else if (t == "feedback") {
      RETURN_IF_ERROR(Feedback(snap, s));
    } else if (t == "risks") {
      RETURN_IF_ERROR(Risks(snap, s));
    } else if (t == "improvement") {
      RETURN_IF_ERROR(Improvement(snap, s));
    }
    while (!s.text.empty() && s.text.back() == '\n') s.text.pop_back();
    if (s.text.size() > 20000) s.text.resize(20000);
    rows.push_back({{"topic", std::string(t)}, {"summary", s.text}});
  }
  return rows;
}

Status ManagementReviewService::OnReviewWrite(const Principal& p, Json& fields, const Json* before,
                                              std::vector<domain::FieldError>& errors) {
  const std::string status = Str(fields.value("status", Json()));
  const std::string was = before == nullptr ? "" : Str(before->value("status", Json()));
  const std::string date = Str(fields.value("review_date", Json()));
  if (status == domain::kReviewHeld && was != domain::kReviewHeld) {
    const std::string today = FormatDate(clock_.Now());
    if (date > today) {
      errors.push_back({"status", fmt::format("a review is held on or after its date ({}); "
                                              "today is {}",
                                              date, today)});
    }
    ASSIGN_OR_RETURN(auto members, registers_.Members(p));
    const auto attendees = Attendees(fields);
    if (!attendees.empty() && std::none_of(attendees.begin(), attendees.end(),
                                           [&](int64_t a) { return IsExecutive(a, members); })) {
      errors.push_back({"attendees",
                        "top management reviews the ISMS: at least one attendee holds the "
                        "executive role"});
    }
  }
  // Follow-ups name records of their register.
  const Json decisions = fields.value("decisions", Json());
  for (size_t i = 0; decisions.is_array() && i < decisions.size(); ++i) {
    const Json& d = decisions[i];
    if (!d.value("follow_up", Json()).is_number_integer()) continue;
    const Json* earlier = nullptr;
    if (before != nullptr && (*before)["decisions"].is_array()) {
      for (const auto& b : (*before)["decisions"]) {
        if (b.value("follow_up", Json()) == d["follow_up"] &&
            b.value("kind", Json()) == d["kind"]) {
          earlier = &b;
        }
      }
    }
    if (earlier != nullptr) continue;  // as it was
    const RegisterSpec* spec = domain::FollowUpRegister(Str(d.value("kind", Json())));
    if (spec == nullptr) continue;  // the rule says so
    const int64_t id = d["follow_up"].get<int64_t>();
    ASSIGN_OR_RETURN(auto titles, store_.Titles(*spec, p.org_id, {id}));
    if (!titles.contains(id)) {
      errors.push_back({fmt::format("decisions[{}].follow_up", i),
                        fmt::format("no {} has id {}", spec->singular, id)});
    }
  }
  if (!errors.empty()) return Status::Ok();
  // One comment row per input, in their order, so that the form offers each.
  Json comments = Json::array();
  for (const auto& t : domain::ReviewTopics()) {
    Json comment;
    for (const auto& c : fields.value("input_comments", Json::array())) {
      if (c.value("topic", Json()) == t.value) comment = c.value("comment", Json());
    }
    comments.push_back({{"topic", std::string(t.value)}, {"comment", comment}});
  }
  fields["input_comments"] = std::move(comments);
  const bool frozen = was == domain::kReviewHeld || was == domain::kReviewApproved;
  if (frozen) {
    fields["input_snapshot"] = before->value("input_snapshot", Json());
    return Status::Ok();
  }
  if (date.empty()) return Status::Ok();  // the field's own error
  ASSIGN_OR_RETURN(fields["input_snapshot"], Inputs(p, date));
  return Status::Ok();
}

Result<Record> ManagementReviewService::Approve(const Principal& p, int64_t id,
                                                std::optional<int64_t> version) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kApprove));
  RETURN_IF_ERROR(CheckMayTakeStep(p, "management reviews"));
  ASSIGN_OR_RETURN(Record review, store_.Get(Reviews(), p.org_id, id));
  RETURN_IF_ERROR(CheckVersionSeen(review, version, "management review"));
  const std::string state = Str(review.fields["status"]);
  if (state != domain::kReviewHeld) {
    return FailedPrecondition(
        state == domain::kReviewApproved
            ? "the minutes of this review are approved already"
            : "only the minutes of a review that was held are approved: mark it held first");
  }
  const auto missing = domain::UncommentedTopics(review.fields);
  if (!missing.empty()) {
    std::string label = missing.front();
    for (const auto& t : domain::ReviewTopics()) {
      if (t.value == missing.front()) label = std::string(t.label);
    }
    return Status(
        Code::kInvalidArgument,
        fmt::format("comment on every input before approving the minutes; {} {} "
                    "none, first \"{}\"",
                    missing.size(), missing.size() == 1 ? "input has" : "inputs have", label),
        "input_comments");
  }
  if (!domain::HasValue(review.fields, "minutes")) {
    return Status(Code::kInvalidArgument, "write the minutes before approving them", "minutes");
  }
  if (!domain::HasValue(review.fields, "decisions")) {
    return Status(Code::kInvalidArgument,
                  "record the review's decisions (clause 9.3.3) before approving the minutes",
                  "decisions");
  }
  const store::Actor actor = registers_.ActorFor(p);
  Json after = review.fields;
  after["status"] = std::string(domain::kReviewApproved);
  after["approved_by"] = p.user_id;
  after["approved_on"] = actor.now.substr(0, 10);
  std::vector<Mutation> mutations{UpdateOf(Reviews(), review, after, "approve")};
  ASSIGN_OR_RETURN(auto members, registers_.Members(p));
  const std::string title = Str(review.fields["title"]);
  const std::string date = Str(review.fields["review_date"]);
  for (const int64_t a : Attendees(review.fields)) {
    if (!IsExecutive(a, members)) continue;
    // The entry names the review as its source (migration 0064), and links it.
    mutations.push_back(
        CommitmentInsert("management_review_attendance",
                         fmt::format("Attended the management review \"{}\" of {} (no. {}).", title,
                                     date, review.fields.value("number", Json()).dump()),
                         a, date, Reviews().type, review.id));
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return std::move(written.front());
}

Result<Record> ManagementReviewService::FollowUp(const Principal& p, int64_t id, int row,
                                                 std::optional<int64_t> version) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "management reviews"));
  ASSIGN_OR_RETURN(Record review, store_.Get(Reviews(), p.org_id, id));
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, Reviews(), &review.fields, &review.fields));
  RETURN_IF_ERROR(CheckVersionSeen(review, version, "management review"));
  const std::string state = Str(review.fields["status"]);
  if (state == domain::kReviewDraft) {
    return FailedPrecondition("decisions are followed up once the review is held");
  }
  Json decisions = review.fields.value("decisions", Json());
  if (!decisions.is_array() || row < 0 || static_cast<size_t>(row) >= decisions.size()) {
    return Status(Code::kInvalidArgument,
                  fmt::format("the review has no decision {} (it has {})", row + 1,
                              decisions.is_array() ? decisions.size() : 0),
                  "row");
  }
  const std::string base = fmt::format("decisions[{}]", row);
  Json& d = decisions[row];
  if (d.value("follow_up", Json()).is_number_integer()) {
    return Status(Code::kInvalidArgument, "this decision is followed up already",
                  base + ".follow_up");
  }
  const std::string kind = Str(d.value("kind", Json()));
  const RegisterSpec* target = domain::FollowUpRegister(kind);
  if (target == nullptr) {
    return Status(Code::kInvalidArgument,
                  "say how the decision is followed up (task, planned change, objective or "
                  "improvement) first",
                  base + ".kind");
  }
  const std::string decision = Str(d["decision"]);
  const std::string title = decision.size() <= 200 ? decision : decision.substr(0, 197) + "...";
  const std::string origin =
      fmt::format("Decided at the management review \"{}\" of {}: {}", Str(review.fields["title"]),
                  Str(review.fields["review_date"]), decision);
  const Json owner = d.value("owner", Json());
  const Json due = d.value("due", Json());
  Json input;
  if (kind == "task") {
    input = {{"title", title},  {"description", origin},         {"owner", owner},
             {"due_date", due}, {"record_type", Reviews().type}, {"record_id", review.id}};
  } else if (kind == "planned_change") {
    input = {{"title", title}, {"purpose", origin}, {"owner", owner}, {"planned_end", due}};
  } else if (kind == "objective") {
    input = {{"title", title}, {"description", origin}, {"owner", owner}, {"due_date", due}};
  } else {
    input = {{"title", title},
             {"description", origin},
             {"source", "management_review"},
             {"raised_on", review.fields["review_date"]},
             {"raised_by", p.user_id},
             {"owner", owner},
             {"status", "accepted"},
             {"decision", decision},
             {"decided_on", review.fields["review_date"]},
             {"decided_by", review.fields.value("chair", Json())},
             {"due_date", due}};
  }
  // The created record's rules, its field problems named as the decision's columns.
  std::vector<domain::FieldError> errors;
  Json fields = domain::ValidateFields(*target, input, domain::WriteMode::kCreate, nullptr, errors);
  if (errors.empty() && target->rule) target->rule(fields, nullptr, errors);
  if (errors.empty()) {
    RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, *target, nullptr, &fields));
    RETURN_IF_ERROR(registers_.Prepare(p, *target, fields, nullptr, errors));
  }
  if (!errors.empty()) {
    const std::string& f = errors.front().field;
    std::string column = "decision";
    if (f == "owner") column = "owner";
    if (f == "due_date" || f == "planned_end") column = "due";
    return Status(
        Code::kInvalidArgument,
        fmt::format("the {} cannot be created: {}", target->singular, errors.front().message),
        fmt::format("{}.{}", base, column));
  }
  // The record first; the review's decision then names it (store::Mutation::ids_of).
  d["follow_up"] = 0;
  Json after = review.fields;
  after["decisions"] = decisions;
  Mutation update = UpdateOf(Reviews(), review, after, "follow_up");
  update.ids_of.push_back({fmt::format("/decisions/{}/follow_up", row), 0});
  std::vector<Mutation> mutations{Mutation{.kind = Mutation::Kind::kInsert,
                                           .spec = target,
                                           .fields = fields,
                                           .action = "create",
                                           .diff = domain::DiffFields(*target, Json(), fields)},
                                  std::move(update)};
  ASSIGN_OR_RETURN(auto written, store_.Write(registers_.ActorFor(p), mutations));
  return std::move(written.front());
}

}  // namespace rampart::app
