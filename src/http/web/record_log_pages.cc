// A record's log on its page (app/record_log.h): a communication's log, an operational
// activity's occurrences — newest first, with a link adding to it for those who may.
#include <fmt/format.h>

#include "http/web/web.h"

namespace rampart::http {

using domain::Json;

void RecordLogSection(Html& h, Request& r, const app::RecordLog& log, const domain::Record& rec,
                      const RecordLogView& view) {
  const domain::RegisterSpec& spec = *log.log;
  domain::ListQuery q;
  q.sort = log.date;
  q.descending = true;
  q.limit = 20;
  auto entries = app::LogEntries(r.services.registers, r.principal, log, rec.id, q);
  auto members = r.services.registers.Members(r.principal);
  if (!entries.ok() || !members.ok()) return;
  const std::string heading_id = spec.path + "-title";
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", heading_id}});
  h.Open("div", {{"class", "card-head"}});
  h.Element("h2", {{"id", heading_id}}, view.heading);
  if (MayCreate(r.principal, spec)) {
    h.Link(fmt::format("/{}/new?{}={}&{}={}", spec.path, log.field, rec.id, log.date, Today(r)),
           view.add_label, "button button-secondary button-small");
  }
  h.Close("div");
  if (entries->records.empty()) {
    h.Element("p", {{"class", "card-body muted"}}, view.empty);
  } else {
    std::vector<const domain::FieldSpec*> fields;
    Table table{.cls = "data-table stack-narrow", .caption = view.caption};
    for (const auto& name : view.columns) {
      const domain::FieldSpec* f = spec.Field(name);
      if (f == nullptr) continue;
      fields.push_back(f);
      table.columns.push_back({.label = f->label});
    }
    table.Open(h);
    for (const auto& e : entries->records) {
      h.Open("tr");
      for (const domain::FieldSpec* f : fields) {
        const Json& v = e.fields[f->name];
        if (f->name == spec.title_field) {
          h.Open("td", {{"class", "cell-title"}, {"data-label", f->label}});
          h.Link(fmt::format("/{}/{}", spec.path, e.id), v.is_string() ? v.get<std::string>() : "");
        } else if (f->type == domain::FieldType::kEnum) {
          h.Open("td", {{"data-label", f->label}});
          Badge(h, *f, v);
        } else {
          if (f->type == domain::FieldType::kDate) {
            h.Open("td", {{"class", "cell-date"}, {"data-label", f->label}});
          } else {
            h.Open("td", {{"data-label", f->label}});
          }
          const std::string shown = DisplayValue(*f, v, *members);
          h.Text(shown.empty() ? "—" : shown);
        }
        h.Close("td");
      }
      h.Close("tr");
    }
    table.Close(h);
    if (!entries->next_cursor.empty()) {
      h.Open("p");
      h.Link(fmt::format("/{}?{}={}", spec.path, log.field, rec.id), view.all_label);
      h.Close("p");
    }
  }
  h.Close("section");
}

}  // namespace rampart::http
