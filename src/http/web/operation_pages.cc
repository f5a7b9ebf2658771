// Clause 8.1's additions to the generic register pages: suppliers flagged "Certificate expired
// on …" on their list and page, a supplier's page listing its assessments (newest first);
// operational activities flagged "Missed since …", an activity's page saying when the next
// occurrence is expected and listing its occurrences, with a link recording one.
#include <fmt/format.h>

#include "domain/operation.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

void Callout(Html& h, bool warn, const std::string& strong, const std::string& text) {
  h.Open("div", {{"class", warn ? "callout callout-warn" : "callout"}});
  h.Element("strong", {}, strong);
  h.Text(text);
  h.Close("div");
}

void SupplierSections(Html& h, Request& r, const domain::Record& rec) {
  auto expiries = r.services.operation.CertificateExpiries(r.principal);
  if (expiries.ok()) {
    const auto it = expiries->find(rec.id);
    if (it != expiries->end()) {
      const std::string expired =
          domain::CertificateExpiredOn(rec.fields, it->second, r.services.operation.Today());
      if (!expired.empty()) {
        Callout(h, true, "Certificate expired on " + expired + ". ",
                "Its latest assessment records no certificate valid today: review the "
                "supplier's certificate or assess it again.");
      } else {
        Callout(h, false, "Certificate valid until " + it->second + ".", "");
      }
    }
  }
  RecordLogSection(h, r, app::AssessmentsOf(), rec,
                   {.heading = "Assessments",
                    .caption = "Assessments of this supplier",
                    .add_label = "Record an assessment",
                    .empty = "The supplier has not been assessed yet.",
                    .all_label = "Every assessment",
                    .columns = {"date", "title", "method", "rating", "certificate_expires"}});
}

void ActivitySections(Html& h, Request& r, const domain::Record& rec) {
  auto schedule = r.services.operation.Schedule(r.principal, rec);
  if (schedule.ok()) {
    const std::string last = schedule->last.empty() ? "No occurrence is recorded yet."
                                                    : "Last carried out on " + schedule->last + ".";
    if (!schedule->missed_since.empty()) {
      Callout(h, true, "Missed since " + schedule->missed_since + ". ", last);
    } else if (rec.fields.value("status", domain::Json()) == "active" &&
               !schedule->next_due.empty()) {
      Callout(h, false, "Next occurrence expected by " + schedule->next_due + ". ", last);
    }
  }
  RecordLogSection(h, r, app::OccurrencesOf(), rec,
                   {.heading = "Occurrences",
                    .caption = "Occurrences of this activity",
                    .add_label = "Record an occurrence",
                    .empty = "No occurrence is recorded yet.",
                    .all_label = "Every occurrence",
                    .columns = {"date", "summary", "performed_by", "outcome"}});
}

}  // namespace

void AddOperationPageHooks(PageHooks& all) {
  {
    RegisterPageHooks& hooks = all[&domain::Suppliers()];
    hooks.row_flags = [](Request& r, const std::vector<domain::Record>& records) {
      std::map<int64_t, std::string> out;
      auto expired = r.services.operation.ExpiredCertificates(r.principal, records);
      if (expired.ok()) {
        for (const auto& [id, on] : *expired) out[id] = "Certificate expired on " + on;
      }
      return out;
    };
    hooks.detail_banner = SupplierSections;
  }
  {
    RegisterPageHooks& hooks = all[&domain::OperationalActivities()];
    hooks.row_flags = [](Request& r, const std::vector<domain::Record>& records) {
      std::map<int64_t, std::string> out;
      auto missed = r.services.operation.Missed(r.principal, records);
      if (missed.ok()) {
        for (const auto& [id, since] : *missed) out[id] = "Missed since " + since;
      }
      return out;
    };
    hooks.detail_banner = ActivitySections;
  }
}

}  // namespace rampart::http
