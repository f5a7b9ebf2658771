#include "app/awareness_service.h"

#include <fmt/format.h>

#include <set>

#include "app/access_control.h"
#include "app/document_service.h"
#include "base/text.h"

namespace rampart::app {

using domain::Json;
using domain::Record;
using domain::RegisterSpec;
using store::Mutation;

namespace {

const RegisterSpec& Campaigns() { return domain::AwarenessCampaigns(); }
const RegisterSpec& Completions() { return domain::AwarenessCompletions(); }

std::string State(const Record& r) { return r.fields.value("status", std::string()); }

std::string StateLabel(std::string_view state) {
  return ToLower(Campaigns().Field("status")->ChoiceLabel(state));
}

}  // namespace

std::string AwarenessService::Today() const { return FormatDate(clock_.Now()); }

Result<Record> AwarenessService::CampaignForStep(const Principal& p, int64_t campaign_id,
                                                 std::optional<int64_t> expected_version) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "awareness records"));
  ASSIGN_OR_RETURN(Record c, registers_.Get(p, Campaigns(), campaign_id));
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, Campaigns(), &c.fields, &c.fields));
  RETURN_IF_ERROR(CheckVersionSeen(c, expected_version, "campaign"));
  return c;
}

Result<LaunchResult> AwarenessService::Launch(const Principal& p, int64_t campaign_id,
                                              std::optional<int64_t> expected_version) {
  ASSIGN_OR_RETURN(Record c, CampaignForStep(p, campaign_id, expected_version));
  const std::string state = State(c);
  if (state == domain::kCampaignClosed) {
    return FailedPrecondition("the campaign is closed: nobody more can be asked to complete it");
  }
  ASSIGN_OR_RETURN(auto audience,
                   ResolveAudience(store_, p.org_id, c.fields.value("audience_roles", Json()),
                                   c.fields.value("audience_isms_roles", Json()),
                                   c.fields.value("audience_people", Json())));
  if (audience.empty()) {
    return Status(Code::kFailedPrecondition,
                  "the campaign's audience names nobody who is an active member: add roles, "
                  "ISMS roles or people",
                  "audience_roles");
  }
  // Those asked already (a launched campaign inviting newcomers): one grouped statement.
  std::set<int64_t> asked;
  if (state == domain::kCampaignLaunched) {
    domain::ListQuery of{.filters = {{"campaign", c.id}}};
    ASSIGN_OR_RETURN(auto groups, store_.CountBy(Completions(), p.org_id, of, {"person"}));
    for (const auto& g : groups) {
      if (g.values.front().is_number_integer()) asked.insert(g.values.front().get<int64_t>());
    }
  }
  const store::Actor actor = registers_.ActorFor(p);
  std::vector<Mutation> mutations;
  for (int64_t person : audience) {
    if (asked.contains(person)) continue;
    Json row = {{"campaign", c.id},
                {"title", c.fields["topic"]},
                {"material", c.fields.value("material", Json())},
                {"person", person},
                {"status", "pending"},
                {"due_date", c.fields["due_date"]},
                {"requested_at", actor.now},
                {"completed_at", nullptr}};
    mutations.push_back({.kind = Mutation::Kind::kInsert,
                         .spec = &Completions(),
                         .fields = row,
                         .action = "request",
                         .diff = domain::DiffFields(Completions(), Json(), row)});
  }
  const auto invited = static_cast<int64_t>(mutations.size());
  if (invited == 0) return LaunchResult{.campaign = std::move(c), .invited = 0};
  // The campaign is written too, even when only newcomers are invited: its version check keeps
  // two invitations at once from asking the same person twice.
  Json after = c.fields;
  if (state == domain::kCampaignPlanned) {
    after["status"] = std::string(domain::kCampaignLaunched);
    after["launched_on"] = actor.now.substr(0, 10);
  }
  mutations.insert(
      mutations.begin(),
      UpdateOf(Campaigns(), c, after, state == domain::kCampaignPlanned ? "launch" : "invite"));
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return LaunchResult{.campaign = std::move(written.front()), .invited = invited};
}

Result<Record> AwarenessService::Close(const Principal& p, int64_t campaign_id,
                                       std::optional<int64_t> expected_version) {
  ASSIGN_OR_RETURN(Record c, CampaignForStep(p, campaign_id, expected_version));
  if (State(c) != domain::kCampaignLaunched) {
    return FailedPrecondition(
        fmt::format("only a launched campaign is closed; this one is {}", StateLabel(State(c))));
  }
  const store::Actor actor = registers_.ActorFor(p);
  Json after = c.fields;
  after["status"] = std::string(domain::kCampaignClosed);
  std::vector<Mutation> mutations{UpdateOf(Campaigns(), c, after, "close")};
  // Who has not completed it is recorded as not completed, page by page.
  domain::ListQuery pending{
      .filters = {{"campaign", c.id}, {"status", "pending"}}, .sort = "person", .limit = 500};
  for (;;) {
    ASSIGN_OR_RETURN(auto page, store_.List(Completions(), p.org_id, pending));
    for (const auto& row : page.records) {
      Json missed = row.fields;
      missed["status"] = "missed";
      mutations.push_back(UpdateOf(Completions(), row, missed, "miss"));
    }
    if (page.next_cursor.empty()) break;
    pending.cursor = page.next_cursor;
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written.front();
}

Result<Record> AwarenessService::Complete(const Principal& p, int64_t completion_id) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "awareness records"));
  ASSIGN_OR_RETURN(Record row, store_.Get(Completions(), p.org_id, completion_id));
  if (row.fields["person"] != p.user_id) {
    // Another person's is not the caller's to see.
    return NotFound(
        fmt::format("you have no awareness campaign to complete with id {}", completion_id));
  }
  if (row.fields["status"] == "completed") {
    return FailedPrecondition("you have completed this campaign already");
  }
  if (row.fields["status"] != "pending") {
    return FailedPrecondition("the campaign was closed before you completed it");
  }
  ASSIGN_OR_RETURN(Record c,
                   store_.Get(Campaigns(), p.org_id, row.fields["campaign"].get<int64_t>()));
  if (State(c) != domain::kCampaignLaunched) {
    return FailedPrecondition(
        fmt::format("the campaign is {}: it cannot be completed", StateLabel(State(c))));
  }
  const store::Actor actor = registers_.ActorFor(p);
  Json after = row.fields;
  after["status"] = "completed";
  after["completed_at"] = actor.now;
  ASSIGN_OR_RETURN(auto written,
                   store_.Write(actor, {UpdateOf(Completions(), row, after, "complete")}));
  return written.front();
}

Result<AwarenessProgress> AwarenessService::Progress(const Principal& p, int64_t campaign_id) {
  ASSIGN_OR_RETURN(Record c, registers_.Get(p, Campaigns(), campaign_id));
  AwarenessProgress out;
  domain::ListQuery of{.filters = {{"campaign", c.id}}};
  ASSIGN_OR_RETURN(auto counts, store_.CountBy(Completions(), p.org_id, of, {"status"}));
  int64_t pending = 0;
  for (const auto& g : counts) {
    out.asked += g.count;
    if (g.values.front() == "completed") out.completed += g.count;
    if (g.values.front() == "pending") pending += g.count;
  }
  const Json& due = c.fields["due_date"];
  if (due.is_string() && due.get<std::string>() < Today()) out.overdue = pending;
  if (out.asked > out.completed) {
    domain::ListQuery waiting{
        .filters = {{"campaign", c.id}, {"status", Json::array({"pending", "missed"})}},
        .sort = "person",
        .limit = kWaitingShown};
    ASSIGN_OR_RETURN(auto page, store_.List(Completions(), p.org_id, waiting));
    out.waiting = std::move(page.records);
  }
  return out;
}

Result<std::map<int64_t, std::pair<int64_t, int64_t>>> AwarenessService::Rates(
    const Principal& p, const std::vector<Record>& campaigns) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  std::map<int64_t, std::pair<int64_t, int64_t>> out;
  Json ids = Json::array();
  for (const auto& c : campaigns) {
    if (State(c) != domain::kCampaignPlanned) ids.push_back(c.id);
  }
  if (ids.empty()) return out;
  domain::ListQuery of{.filters = {{"campaign", ids}}};
  ASSIGN_OR_RETURN(auto groups,
                   store_.CountBy(Completions(), p.org_id, of, {"campaign", "status"}));
  for (const auto& g : groups) {
    if (!g.values[0].is_number_integer()) continue;
    auto& [completed, asked] = out[g.values[0].get<int64_t>()];
    asked += g.count;
    if (g.values[1] == "completed") completed += g.count;
  }
  return out;
}

Result<std::vector<Record>> AwarenessService::Mine(const Principal& p) {
  domain::ListQuery q{.filters = {{"person", p.user_id}, {"status", "pending"}},
                      .sort = "due_date",
                      .limit = kMyWorkLimit};
  ASSIGN_OR_RETURN(auto page, store_.List(Completions(), p.org_id, q));
  return std::move(page.records);
}

Result<std::vector<Record>> AwarenessService::History(const Principal& p) {
  domain::ListQuery q{.filters = {{"person", p.user_id}},
                      .sort = "requested_at",
                      .descending = true,
                      .limit = kMyWorkLimit};
  ASSIGN_OR_RETURN(auto page, store_.List(Completions(), p.org_id, q));
  return std::move(page.records);
}

}  // namespace rampart::app
