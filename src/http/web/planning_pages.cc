// What clause 6.2's objectives add to the generic register pages: an objective's progress from
// its baseline toward its target, on its page. Whether it is overdue comes from the register's
// lifecycle (Lifecycle::due_field), which the generic list and page show.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"
#include "domain/planning.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::Json;
using domain::Record;

namespace {

// "62 % of the way from baseline 40 to target 95 %", with a bar; nothing when the objective has
// no measured way to go (domain::ObjectiveProgress).
void ProgressPanel(Html& h, const Record& rec) {
  const auto progress = domain::ObjectiveProgress(rec.fields);
  if (!progress) return;
  const Json& f = rec.fields;
  const std::string unit = f.value("unit", Json()).is_string() ? f["unit"].get<std::string>() : "";
  const std::string percent = fmt::format("{:.0f}", *progress);
  h.Open("section", {{"class", "card objective-progress"}, {"aria-label", "Progress"}});
  h.Element("h2", {}, "Progress");
  h.Open("p");
  h.Text(fmt::format("{} % of the way from baseline {} to target {}{}", percent,
                     FormatNumber(f["baseline_value"].get<double>()),
                     FormatNumber(f["target_value"].get<double>()),
                     unit.empty() ? "" : " " + unit));
  h.Text(fmt::format(" (current value {}{}).", FormatNumber(f["current_value"].get<double>()),
                     unit.empty() ? "" : " " + unit));
  h.Close("p");
  h.Element("progress",
            {{"max", "100"},
             {"value", fmt::format("{:.0f}", std::clamp(*progress, 0.0, 100.0))},
             {"aria-label", "Progress toward the target"}},
            percent + " %");
  h.Close("section");
}

}  // namespace

void AddPlanningPageHooks(PageHooks& all) {
  all[&domain::Objectives()].detail_banner = [](Html& h, Request&, const Record& rec) {
    ProgressPanel(h, rec);
  };
}

}  // namespace rampart::http
