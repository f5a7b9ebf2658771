// The guided setup of a new organisation (issue 15, /getting-started): its name, size and
// sector; the default risk methodology approved; the threat and vulnerability catalogues loaded;
// and who holds the ISMS manager's and top management's roles. Each step is the area's own use
// case (registers, versions, risks), so their rules and audit events apply; the profile is one
// write with its audit event. Steps already done are left as they are: running it again changes
// only what is missing.
//
// Errors: kPermissionDenied without organisation settings (administrators); kInvalidArgument
// naming the field ("name", "size", "sector", "isms_manager", "top_management") before anything
// is written; kAlreadyExists ("name") when another organisation has the name; the steps' own
// errors as they come. Thread-safe.
#pragma once

#include <string>

#include "app/principal.h"
#include "app/register_service.h"
#include "app/risk_service.h"
#include "app/version_service.h"
#include "base/clock.h"
#include "domain/identity.h"
#include "store/store.h"

namespace rampart::app {

struct SetupInput {
  std::string name;
  std::string size;                 // domain::OrganisationSizes()
  std::string sector;               // domain::OrganisationSectors()
  bool default_methodology = true;  // approve the built-in methodology when none is approved
  bool catalogues = true;           // load the shipped threats and vulnerabilities
  int64_t isms_manager = 0;         // a member: holder of the role "ISMS manager"
  int64_t top_management = 0;       // a member: holder of the role "Top management"
};

struct SetupOutcome {
  bool methodology_approved = false;
  int threats = 0, vulnerabilities = 0;  // catalogue entries added
  int roles_created = 0;
};

class SetupService {
 public:
  SetupService(store::Store& store, const Clock& clock, RegisterService& registers,
               VersionService& versions, RiskService& risks)
      : store_(store), clock_(clock), registers_(registers), versions_(versions), risks_(risks) {}

  Result<domain::OrganisationProfile> Profile(const Principal& p);
  Result<SetupOutcome> Run(const Principal& p, const SetupInput& in);

 private:
  Status HoldRole(const Principal& p, const std::string& name, bool top, int64_t person,
                  SetupOutcome& out);

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
  VersionService& versions_;
  RiskService& risks_;
};

}  // namespace rampart::app
