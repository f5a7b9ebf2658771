// Tasks on the pages: the tasks of a record (a nonconformity's corrective actions) on its page,
// with a link to add one for it; a task's link back to its record; and the caller's open tasks
// on My work.
#include <fmt/format.h>

#include <string>

#include "base/text.h"
#include "domain/improvement.h"
#include "domain/registers.h"
#include "domain/tasks.h"
#include "http/web/web.h"

namespace rampart::http {
namespace {

std::string Text(const domain::Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

// Tasks of a record are its corrective actions when it is a nonconformity.
std::string TasksHeading(const domain::RegisterSpec& spec) {
  return &spec == &domain::Nonconformities() ? "Corrective actions" : "Tasks";
}

void DueCell(Html& h, const domain::Record& t, const std::string& today) {
  h.Open("td", {{"class", "cell-date"}, {"data-label", "Due"}});
  h.Text(t.fields["due_date"].is_string() ? Text(t.fields["due_date"]) : "—");
  if (domain::IsPastDue(domain::Tasks(), t.fields, today)) {
    h.Text(" ");
    h.Element("span", {{"class", "badge badge-flag"}}, "Overdue");
  }
  h.Close("td");
}

// The record a task is for, linked, above its details.
void TaskBanner(Html& h, Request& r, const domain::Record& task) {
  const domain::RegisterSpec* of = domain::FindRegisterByType(Text(task.fields["record_type"]));
  if (of == nullptr || !task.fields["record_id"].is_number_integer()) return;
  const int64_t id = task.fields["record_id"].get<int64_t>();
  auto titles = r.services.registers.Titles(r.principal, *of, {id});
  const auto title = titles.ok() ? titles->find(id) : std::map<int64_t, std::string>::iterator{};
  h.Open("div", {{"class", "callout"}});
  h.Text(fmt::format("{} of {} ", &*of == &domain::Nonconformities() ? "Corrective action" : "Task",
                     ToLower(of->singular)));
  if (titles.ok() && title != titles->end()) {
    h.Link(fmt::format("/{}/{}", of->path, id), title->second);
  } else {
    h.Text(fmt::format("#{} (deleted)", id));
  }
  if (task.fields["recurrence_every"].is_number_integer()) {
    h.Text(fmt::format(
        " · repeats every {} {} from {}", task.fields["recurrence_every"].get<int>(),
        Text(task.fields["recurrence_unit"]),
        task.fields["recurrence_from"] == "completion" ? "completion" : "the due date"));
  }
  h.Close("div");
}

}  // namespace

void RenderTasksSection(Html& h, Request& r, const domain::RegisterSpec& spec,
                        const domain::Record& rec,
                        const std::vector<domain::UserSummary>& members) {
  if (&spec == &domain::Tasks()) return;
  auto tasks = r.services.tasks.ForRecord(r.principal, spec, rec.id);
  if (!tasks.ok()) return;
  const std::string heading = TasksHeading(spec);
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "record-tasks"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "record-tasks"}}, fmt::format("{} ({})", heading, tasks->size()));
  if (MayCreate(r.principal, domain::Tasks())) {
    h.Link(fmt::format("/tasks/new?record_type={}&record_id={}", spec.type, rec.id),
           &spec == &domain::Nonconformities() ? "Add a corrective action" : "Add a task",
           "button button-secondary button-small");
  }
  h.Close("div");
  if (tasks->empty()) {
    h.Element("p", {{"class", "muted"}},
              &spec == &domain::Nonconformities()
                  ? "No corrective action is recorded yet: add each as a task, with its owner "
                    "and due date."
                  : "No task is recorded for this " + ToLower(spec.singular) + ".");
  } else {
    const std::string today = Today(r);
    const Table t{
        .cls = "data-table stack-narrow",
        .caption = heading + " of this " + ToLower(spec.singular),
        .columns = {{.label = "Task"}, {.label = "Owner"}, {.label = "Due"}, {.label = "Status"}}};
    t.Open(h);
    const auto& status = *domain::Tasks().Field("status");
    for (const auto& task : *tasks) {
      h.Open("tr");
      h.Open("td", {{"class", "cell-title"}, {"data-label", "Task"}});
      h.Link(fmt::format("/tasks/{}", task.id), Text(task.fields["title"]));
      h.Close("td");
      h.Element("td", {{"data-label", "Owner"}},
                task.fields["owner"].is_number_integer()
                    ? UserName(task.fields["owner"].get<int64_t>(), members)
                    : "—");
      DueCell(h, task, today);
      h.Open("td", {{"data-label", "Status"}});
      Badge(h, status, task.fields["status"]);
      h.Close("td");
      h.Close("tr");
    }
    t.Close(h);
  }
  h.Close("section");
}

void MyTasksSection(Html& h, Request& r) {
  if (!r.principal.Can(domain::Permission::kReadRecords)) return;
  auto tasks = r.services.tasks.Mine(r.principal);
  if (!tasks.ok()) return;
  const std::string today = Today(r);
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "my-tasks"}});
  h.Element("h2", {{"id", "my-tasks"}}, fmt::format("Your tasks ({})", tasks->size()));
  if (tasks->empty()) {
    h.Element("p", {{"class", "muted"}}, "No open task is assigned to you.");
  } else {
    h.Open("ul", {{"class", "work-list"}});
    for (const auto& t : *tasks) {
      h.Open("li");
      h.Link(fmt::format("/tasks/{}", t.id), Text(t.fields["title"]));
      const domain::RegisterSpec* of = domain::FindRegisterByType(Text(t.fields["record_type"]));
      std::string meta = t.fields["due_date"].is_string() ? " · due " + Text(t.fields["due_date"])
                                                          : std::string(" · no due date");
      if (of != nullptr) meta += " · " + of->singular;
      if (t.fields["status"] == domain::kTaskInProgress) meta += " · in progress";
      h.Element("span", {{"class", "muted"}}, meta);
      if (domain::IsPastDue(domain::Tasks(), t.fields, today)) {
        h.Text(" ");
        h.Element("span", {{"class", "badge badge-flag"}}, "Overdue");
      }
      h.Close("li");
    }
    h.Close("ul");
  }
  h.Close("section");
}

void AddTaskPageHooks(PageHooks& all) {
  all[&domain::Tasks()].detail_banner = TaskBanner;
  all[&domain::Tasks()].field_choices = [](Request&) {
    return std::map<std::string, std::vector<domain::Choice>>{
        {"record_type", domain::TaskRecordTypeChoices()}};
  };
}

}  // namespace rampart::http
