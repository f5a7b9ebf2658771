// Clause 7.3, awareness, beyond its registers: launching a campaign (asking each person of its
// audience to complete it: one awareness completion each, in the launch's own write), inviting
// people who joined its audience since, closing it, a person completing their own, and a
// campaign's progress (who completed, who is overdue).
//
// The audience is resolved like a document's distribution (ResolveAudience): membership roles,
// holders of ISMS roles and named people, active members only.
//
// Errors: as RegisterService (kPermissionDenied, kNotFound, kPreconditionRequired without the
// version seen, kConflict when it changed), kFailedPrecondition when the campaign's state does not
// allow the step (naming the state) or its audience names nobody. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/support.h"
#include "store/store.h"

namespace rampart::app {

struct AwarenessProgress {
  int64_t asked = 0;
  int64_t completed = 0;
  int64_t overdue = 0;  // pending after the campaign's due date (0 before it)
  // Those who have not completed it, by person, the first kWaitingShown.
  std::vector<domain::Record> waiting;
  int Percent() const { return asked == 0 ? 0 : static_cast<int>(completed * 100 / asked); }
};

struct LaunchResult {
  domain::Record campaign;
  int64_t invited = 0;  // completions created by this launch or invitation
};

class AwarenessService {
 public:
  AwarenessService(store::Store& store, const Clock& clock, RegisterService& registers)
      : store_(store), clock_(clock), registers_(registers) {}

  static constexpr int kWaitingShown = 200;
  static constexpr int kMyWorkLimit = 100;

  // Launches a planned campaign: each person of its audience is asked to complete it. On a
  // launched one, asks those of its audience who were not asked yet (none: invited 0, nothing
  // written). Needs the version of the campaign the caller saw.
  Result<LaunchResult> Launch(const Principal& p, int64_t campaign_id,
                              std::optional<int64_t> expected_version);
  // Closes a launched campaign: nobody more is asked; completions stay as they are.
  Result<domain::Record> Close(const Principal& p, int64_t campaign_id,
                               std::optional<int64_t> expected_version);
  // The caller's own pending completion `completion_id` becomes completed (not once the
  // campaign is closed).
  Result<domain::Record> Complete(const Principal& p, int64_t completion_id);
  // Asked, completed and overdue counts of one campaign (one grouped statement), and a page of
  // who has not completed it.
  Result<AwarenessProgress> Progress(const Principal& p, int64_t campaign_id);
  // Completed and asked per campaign among `campaigns` (one grouped statement): {completed, asked}.
  Result<std::map<int64_t, std::pair<int64_t, int64_t>>> Rates(
      const Principal& p, const std::vector<domain::Record>& campaigns);
  // The caller's pending completions, soonest due first (what their My work lists).
  Result<std::vector<domain::Record>> Mine(const Principal& p);
  // The caller's completions of every campaign, newest first (their own awareness record).
  Result<std::vector<domain::Record>> History(const Principal& p);
  std::string Today() const;

 private:
  Result<domain::Record> CampaignForStep(const Principal& p, int64_t campaign_id,
                                         std::optional<int64_t> expected_version);

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
};

}  // namespace rampart::app
