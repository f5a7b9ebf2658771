#include "app/setup_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/access_control.h"
#include "domain/leadership.h"
#include "domain/readiness.h"
#include "domain/risk.h"

namespace rampart::app {

using domain::Json;

namespace {

bool Known(const std::vector<domain::SetupChoice>& choices, const std::string& value) {
  return std::any_of(choices.begin(), choices.end(),
                     [&](const domain::SetupChoice& c) { return c.value == value; });
}

}  // namespace

Result<domain::OrganisationProfile> SetupService::Profile(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.GetOrganisationProfile(p.org_id);
}

Status SetupService::HoldRole(const Principal& p, const std::string& name, bool top, int64_t person,
                              SetupOutcome& out) {
  domain::ListQuery q;
  q.search = name;
  q.limit = 50;
  ASSIGN_OR_RETURN(auto page, registers_.List(p, domain::IsmsRoles(), q));
  const Json holder = {{"person", person}, {"since", FormatDate(clock_.Now())}};
  for (const auto& role : page.records) {
    if (role.fields.value("name", "") != name) continue;
    Json holders = role.fields.value("holders", Json());
    if (!holders.is_array()) holders = Json::array();
    for (const auto& h : holders) {
      if (h.value("person", Json()) == person) return Status::Ok();
    }
    holders.push_back(holder);
    return registers_
        .Update(p, domain::IsmsRoles(), role.id, role.version, {{"holders", holders}},
                UpdateMode::kMerge)
        .status();
  }
  Json role = {{"name", name},
               {"responsibilities",
                top ? "Direct the ISMS: approve the policy and the risks retained, provide the "
                      "resources, and review the ISMS at planned intervals."
                    : "Run the ISMS day to day: keep the records current, coordinate risk "
                      "assessment and treatment, audits and reviews, and report to top "
                      "management."},
               {"top_management", top},
               {"status", "active"},
               {"holders", Json::array({holder})}};
  RETURN_IF_ERROR(registers_.Create(p, domain::IsmsRoles(), role).status());
  ++out.roles_created;
  return Status::Ok();
}

Result<SetupOutcome> SetupService::Run(const Principal& p, const SetupInput& in) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kManageSettings));
  ASSIGN_OR_RETURN(const std::string name, OrganisationName(in.name, "name"));
  if (!Known(domain::OrganisationSizes(), in.size)) {
    return InvalidArgument("choose the organisation's size", "size");
  }
  if (!Known(domain::OrganisationSectors(), in.sector)) {
    return InvalidArgument("choose the organisation's sector", "sector");
  }
  ASSIGN_OR_RETURN(auto members, store_.ListMembers(p.org_id));
  auto member = [&](int64_t id) {
    return std::any_of(members.begin(), members.end(),
                       [&](const domain::UserSummary& m) { return m.id == id && !m.disabled; });
  };
  if (!member(in.isms_manager)) {
    return InvalidArgument("choose the ISMS manager among the organisation's members",
                           "isms_manager");
  }
  if (!member(in.top_management)) {
    return InvalidArgument("choose who represents top management among the members",
                           "top_management");
  }
  ASSIGN_OR_RETURN(auto org, store_.GetOrganisation(p.org_id));
  ASSIGN_OR_RETURN(auto before, store_.GetOrganisationProfile(p.org_id));
  const domain::OrganisationProfile profile{in.size, in.sector, FormatUtc(clock_.Now())};
  Json diff = Json::object();
  if (org.name != name) diff["name"] = Change(org.name, name);
  if (before.size != in.size) diff["size"] = Change(before.size, in.size);
  if (before.sector != in.sector) diff["sector"] = Change(before.sector, in.sector);
  RETURN_IF_ERROR(store_.SetOrganisationProfile(
      p.org_id, name, profile,
      SecurityEvent(clock_, &p, p.org_id, "set_up", "organisation", p.org_id, diff)));

  SetupOutcome out;
  if (in.default_methodology) {
    auto in_force = ApprovedVersionInForce(store_, domain::RiskMethodologies(), p.org_id);
    if (!in_force.ok() && in_force.status().code() != Code::kNotFound) return in_force.status();
    if (!in_force.ok()) {
      Json fields = domain::DefaultMethodologyFields();
      if (!fields.contains("title")) fields["title"] = "Risk assessment methodology";
      ASSIGN_OR_RETURN(auto draft, registers_.Create(p, domain::RiskMethodologies(), fields));
      RETURN_IF_ERROR(
          versions_.Approve(p, domain::RiskMethodologies(), draft.id, draft.version).status());
      out.methodology_approved = true;
    }
  }
  if (in.catalogues) {
    ASSIGN_OR_RETURN(out.threats, risks_.LoadCatalogue(p, domain::Threats()));
    ASSIGN_OR_RETURN(out.vulnerabilities, risks_.LoadCatalogue(p, domain::Vulnerabilities()));
  }
  RETURN_IF_ERROR(HoldRole(p, "ISMS manager", false, in.isms_manager, out));
  RETURN_IF_ERROR(HoldRole(p, "Top management", true, in.top_management, out));
  return out;
}

}  // namespace rampart::app
