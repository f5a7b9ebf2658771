// rampart check --db URL [--org NAME] [--as-of YYYY-MM-DD] [--format text|json|junit]: the
// organisation's readiness for certification (app::ReadinessService) printed to standard
// output — as text, as the API's JSON, or as a JUnit XML report (one test case per check, a
// failure per failed check) for a pipeline. Exit status 0 without blockers, 1 with blockers
// (after printing the report), the usual codes for errors. A read: no audit event; it keeps
// today's summary in the readiness history as any assessment of the day does.
#include <fmt/format.h>

#include <cstdio>
#include <map>

#include "base/text.h"
#include "cli/cli.h"
#include "http/api/api.h"

namespace rampart::cli {

namespace {

// Text for an XML attribute or element: escaped as HTML escapes it (the same five characters),
// control characters other than tab and newlines (not allowed in XML 1.0) made spaces.
std::string XmlEscape(std::string_view s) {
  std::string text(s);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') c = ' ';
  }
  return HtmlEscape(text);
}

std::string Plural(int n, const char* what) {
  return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
}

std::string Text(const domain::Readiness& a, const std::string& org) {
  std::string out = fmt::format(
      "Readiness of {} as of {}{}: {} % ({} of {} checks passed)\n"
      "Outstanding: {}, {}, {}\n\n",
      org, a.as_of, a.historical ? " (from the audit trail)" : "", a.Percent(), a.passed,
      a.results.size(), Plural(a.blockers, "blocker"), Plural(a.majors, "major"),
      Plural(a.minors, "minor"));
  for (const auto& g : a.groups) {
    out += fmt::format("  {:<3} {:<42} {:>3} %  {}/{}\n", g.id, g.title, g.Percent(), g.passed,
                       g.checks);
  }
  for (auto sev :
       {domain::Severity::kBlocker, domain::Severity::kMajor, domain::Severity::kMinor}) {
    for (const auto& r : a.results) {
      if (r.passed || r.check->severity != sev) continue;
      const auto& c = *r.check;
      out += fmt::format("\n{} {} {} [{}]\n", domain::SeverityName(sev), c.clause, c.title, c.id);
      if (!r.detail.empty()) out += "  " + r.detail + "\n";
      for (const auto& o : r.offenders) {
        out += fmt::format("  - {} ({})\n", o.title, domain::OffenderHref(o));
      }
      out += fmt::format("  Fix: {} ({})\n", c.fix, c.fix_href);
    }
  }
  return out;
}

// One test suite per clause group, one test case per check; a failed check is a <failure>
// whose type is its severity.
std::string Junit(const domain::Readiness& a, const std::string& org) {
  std::map<std::string, std::vector<const domain::CheckResult*>> by_group;
  for (const auto& r : a.results) by_group[domain::ReadinessGroup(*r.check)].push_back(&r);
  int failures = static_cast<int>(a.results.size()) - a.passed;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" timestamp=\"{}\">\n",
      XmlEscape("Rampart readiness of " + org), a.results.size(), failures, a.as_of);
  for (const auto& g : a.groups) {
    const auto& checks = by_group[g.id];
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                       XmlEscape(g.id == "A" ? g.title : "Clause " + g.id + " " + g.title),
                       checks.size(), checks.size() - g.passed);
    for (const auto* r : checks) {
      const auto& c = *r->check;
      out += fmt::format("    <testcase classname=\"readiness.{}\" name=\"{}\"",
                         XmlEscape(c.clause), XmlEscape(c.id + ": " + c.title));
      if (r->passed) {
        out += "/>\n";
        continue;
      }
      std::string body = r->detail + "\n";
      for (const auto& o : r->offenders) {
        body += fmt::format("- {} ({})\n", o.title, domain::OffenderHref(o));
      }
      body += "Fix: " + c.fix + " (" + c.fix_href + ")";
      out += fmt::format(
          ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    "
          "</testcase>\n",
          domain::SeverityName(c.severity), XmlEscape(r->detail), XmlEscape(body));
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace

void AddCheckCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand(
      "check", "Check the readiness for certification: exit 1 when blockers are outstanding");
  AddDbOption(*cmd, ctx);
  auto org = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto as_of = std::make_shared<std::string>();
  cmd->add_option("--org", *org, "Organisation (needed when there are several)");
  cmd->add_option("--format", *format, "text, json or junit");
  cmd->add_option("--as-of", *as_of,
                  "A day before today (YYYY-MM-DD): the readiness then, from the audit trail");
  cmd->callback([&ctx, &action, org, format, as_of] {
    action = [&ctx, org, format, as_of]() -> Status {
      if (*format != "text" && *format != "json" && *format != "junit") {
        return InvalidArgument("--format must be text, json or junit", "format");
      }
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(const app::Principal reader, OrganisationReader(ctx, *org));
      ASSIGN_OR_RETURN(auto a, ctx.services->readiness.Assess(reader, *as_of));
      std::string out;
      if (*format == "json") {
        out = http::ReadinessToJson(a).dump(2) + "\n";
      } else if (*format == "junit") {
        out = Junit(a, reader.org_name);
      } else {
        out = Text(a, reader.org_name);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      if (a.blockers > 0) {
        return Internal(fmt::format("{} outstanding: not ready for certification",
                                    Plural(a.blockers, "blocker")));
      }
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
