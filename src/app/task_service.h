// Tasks beyond their register: the rules that need the store (the record a task is for exists
// in the organisation; a task is stamped with the day it was done), the next task of a recurring
// one, a record's tasks and a person's open tasks (My work); and the nonconformity's workflow
// (clause 10.2), whose corrective actions are its tasks: its action is done only when they are,
// and a review finding them not effective reopens them.
//
// Errors: as RegisterService (kPermissionDenied, kNotFound, kInvalidArgument with the field).
// Thread-safe.
#pragma once

#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/improvement.h"
#include "domain/tasks.h"
#include "store/store.h"

namespace rampart::app {

class TaskService {
 public:
  TaskService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  static constexpr int kShown = 100;

  // The write hook of tasks: the record named by record_type and record_id is one of the
  // organisation's (else an error on record_id); completed_on is the day the task became done
  // and empty while it is not.
  Status OnTaskWrite(const Principal& p, domain::Json& fields, const domain::Json* before,
                     std::vector<domain::FieldError>& errors);
  // The companion hook of tasks: a recurring task becoming done is followed by the next one,
  // open, due a period later (domain::NextTaskDue), in the same write.
  Status OnTaskDone(const Principal& p, const domain::Json& fields, const domain::Json* before,
                    std::vector<store::Mutation>& mutations);

  // The companion hook of nonconformities (it knows the record's id): reaching "action done"
  // needs at least one corrective action (a task of the nonconformity) and every one of them
  // done or cancelled, one done at least — else kInvalidArgument on "status" naming those still
  // open; a review finding the corrective action not effective reopens its done tasks (action
  // "reopen"), in the same write.
  Status OnNonconformityWrite(const Principal& p, const domain::Json& fields,
                              const domain::Json* before, std::vector<store::Mutation>& mutations);

  // The tasks of record `id` of `spec`, by due date (the first kShown).
  Result<std::vector<domain::Record>> ForRecord(const Principal& p,
                                                const domain::RegisterSpec& spec, int64_t id);
  // The caller's open and in-progress tasks, soonest due first (the first kShown); none for a
  // role that does not read records.
  Result<std::vector<domain::Record>> Mine(const Principal& p);

 private:
  Result<std::vector<domain::Record>> Of(int64_t org_id, std::string_view type, int64_t id,
                                         int limit);
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace rampart::app
