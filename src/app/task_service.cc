#include "app/task_service.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "app/access_control.h"
#include "base/text.h"
#include "domain/registers.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {
const domain::RegisterSpec& TasksSpec() { return domain::Tasks(); }
}  // namespace

Result<std::vector<Record>> TaskService::Of(int64_t org_id, std::string_view type, int64_t id,
                                            int limit) {
  domain::ListQuery q{.filters = {{"record_type", std::string(type)}, {"record_id", id}},
                      .sort = "due_date",
                      .limit = limit};
  ASSIGN_OR_RETURN(auto page, store_.List(TasksSpec(), org_id, q));
  return std::move(page.records);
}

Status TaskService::OnTaskWrite(const Principal& p, Json& fields, const Json* before,
                                std::vector<domain::FieldError>& errors) {
  if (fields["record_type"].is_string() && fields["record_id"].is_number_integer()) {
    const auto* of = domain::TaskRecordType(fields["record_type"].get<std::string>());
    const int64_t id = fields["record_id"].get<int64_t>();
    const bool unchanged = before != nullptr && (*before)["record_type"] == fields["record_type"] &&
                           (*before)["record_id"] == fields["record_id"];
    if (of != nullptr && !unchanged) {
      auto rec = store_.Get(*of, p.org_id, id);
      if (!rec.ok() && rec.status().code() != Code::kNotFound) return rec.status();
      if (!rec.ok()) {
        errors.push_back({"record_id", fmt::format("there is no {} {} in this organisation",
                                                   ToLower(of->singular), id)});
      } else if (!of->workflow_only &&
                 !RegisterService::CheckCanWrite(p, *of, &rec->fields, nullptr).ok()) {
        // Giving a record tasks is changing what is to be done about it: only for those who
        // may change the record.
        errors.push_back({"record_id", fmt::format("you may not change {} {}, so you cannot give "
                                                   "it tasks",
                                                   ToLower(of->singular), id)});
      }
    }
  }
  const bool done = fields["status"] == domain::kTaskDone;
  const bool becomes_done = done && (before == nullptr || (*before)["status"] != domain::kTaskDone);
  if (!done) {
    fields["completed_on"] = nullptr;
  } else if (becomes_done) {
    fields["completed_on"] = FormatDate(clock_.Now());
  }
  // The series: its first due date, kept while the task recurs and restarted when the due date
  // or the interval is changed by hand; and whether the next task was created already.
  const bool recurs = fields["recurrence_every"].is_number_integer();
  const bool same_series = before != nullptr && (*before)["due_date"] == fields["due_date"] &&
                           (*before)["recurrence_every"] == fields["recurrence_every"] &&
                           (*before)["recurrence_unit"] == fields["recurrence_unit"];
  fields["recurrence_anchor"] = !recurs       ? Json()
                                : same_series ? before->value("recurrence_anchor", Json())
                                              : fields["due_date"];
  if (recurs && fields["recurrence_anchor"].is_null()) {
    fields["recurrence_anchor"] = fields["due_date"];
  }
  const bool recurred = before != nullptr && before->value("recurred", false) == true;
  fields["recurred"] = recurred || (becomes_done && recurs);
  return Status::Ok();
}

Status TaskService::OnTaskDone(const Principal& p, const Json& fields, const Json* before,
                               std::vector<store::Mutation>& mutations) {
  (void)p;
  // Once per task of a series: the write that first marks it done (OnTaskWrite sets `recurred`
  // then); done again after being reopened, it has its successor already.
  if (fields["status"] != domain::kTaskDone || fields.value("recurred", false) != true) {
    return Status::Ok();
  }
  if (before != nullptr && before->value("recurred", false) == true) return Status::Ok();
  const std::string next_due =
      domain::NextTaskDue(fields, fields.value("completed_on", FormatDate(clock_.Now())));
  if (next_due.empty()) return Status::Ok();
  Json next = fields;
  next["status"] = std::string(domain::kTaskOpen);
  next["due_date"] = next_due;
  next["completed_on"] = nullptr;
  next["outcome"] = nullptr;
  next["recurred"] = false;
  mutations.push_back({.kind = store::Mutation::Kind::kInsert,
                       .spec = &TasksSpec(),
                       .fields = next,
                       .action = "recur",
                       .diff = domain::DiffFields(TasksSpec(), Json(), next)});
  return Status::Ok();
}

Status TaskService::OnNonconformityWrite(const Principal& p, const Json& fields, const Json* before,
                                         std::vector<store::Mutation>& mutations) {
  if (before == nullptr) return Status::Ok();
  const bool to_done =
      fields["status"] == domain::kNcActionDone && (*before)["status"] != domain::kNcActionDone;
  const bool reopen = domain::FoundNotEffective(fields, before);
  if (!to_done && !reopen) return Status::Ok();
  const int64_t id = mutations.front().id;
  std::vector<Record> actions;
  domain::ListQuery q{
      .filters = {{"record_type", std::string(domain::Nonconformities().type)}, {"record_id", id}},
      .sort = "due_date"};
  RETURN_IF_ERROR(ForEachPage(store_, TasksSpec(), p.org_id, q, [&](std::vector<Record>& page) {
    std::move(page.begin(), page.end(), std::back_inserter(actions));
    return Status::Ok();
  }));
  if (to_done) {
    std::vector<std::string> open;
    bool any_done = false;
    for (const auto& t : actions) {
      if (t.fields["status"] == domain::kTaskDone) any_done = true;
      if (!domain::IsTaskClosed(t.fields)) {
        open.push_back(fmt::format("\"{}\"", t.fields.value("title", std::string())));
      }
    }
    if (!open.empty()) {
      return Status(Code::kInvalidArgument,
                    fmt::format("{} corrective action{} not done yet: {}", open.size(),
                                open.size() == 1 ? " is" : "s are",
                                fmt::join(open.begin(),
                                          open.begin() + std::min<size_t>(open.size(), 5), ", ")),
                    "status");
    }
    if (!any_done) {
      return Status(Code::kInvalidArgument,
                    "no corrective action is done: record the corrective actions as tasks of "
                    "this nonconformity and complete them first",
                    "status");
    }
  }
  if (reopen) {
    for (const auto& t : actions) {
      if (t.fields["status"] != domain::kTaskDone) continue;
      Json after = t.fields;
      after["status"] = std::string(domain::kTaskOpen);
      after["completed_on"] = nullptr;
      mutations.push_back(UpdateOf(TasksSpec(), t, std::move(after), "reopen"));
    }
  }
  return Status::Ok();
}

Result<std::vector<Record>> TaskService::ForRecord(const Principal& p,
                                                   const domain::RegisterSpec& spec, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return Of(p.org_id, spec.type, id, kShown);
}

Result<std::vector<Record>> TaskService::Mine(const Principal& p) {
  if (!p.Can(domain::Permission::kReadRecords)) return std::vector<Record>{};
  domain::ListQuery q{.filters = {{"owner", p.user_id},
                                  {"status", Json::array({std::string(domain::kTaskOpen),
                                                          std::string(domain::kTaskInProgress)})}},
                      .sort = "due_date",
                      .limit = kShown};
  ASSIGN_OR_RETURN(auto page, store_.List(TasksSpec(), p.org_id, q));
  return std::move(page.records);
}

}  // namespace rampart::app
