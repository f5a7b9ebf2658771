// Records written as the store takes them, without the registers' rules or workflows: a
// sample record (support/sample_record.h) in any state, its required references naming records
// inserted for them; changed and deleted likewise, each with its audit event. For tests that
// need records in states the use cases reach only step by step (readiness checks, time travel).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "domain/register.h"
#include "domain/registers.h"
#include "store/store.h"
#include "support/sample_record.h"
#include "support/status_matchers.h"

namespace rampart::test {

// Inserts a sample record of `spec` with `set` over it; returns its id (0 on failure, reported).
inline int64_t InsertRaw(store::Store& store, const store::Actor& actor,
                         const domain::RegisterSpec& spec, const Json& set = Json::object()) {
  SampleRefs refs;
  for (const auto& f : spec.fields) {
    if (f.required && f.type == domain::FieldType::kRef && !set.contains(f.name)) {
      refs[f.ref] = InsertRaw(store, actor, *domain::FindRegisterByType(f.ref));
    }
  }
  Json fields = SampleRecord(spec, actor.user_id, refs);
  for (const auto& f : spec.fields) {
    if (fields.contains(f.name)) continue;
    if (!f.default_value.is_null()) {
      fields[f.name] = f.default_value;
    } else if (f.type == domain::FieldType::kBool) {
      fields[f.name] = false;  // stored NOT NULL, as the register's validation leaves it
    }
  }
  for (const auto& [k, v] : set.items()) fields[k] = v;
  store::Mutation m{.kind = store::Mutation::Kind::kInsert,
                    .spec = &spec,
                    .fields = fields,
                    .action = "create",
                    .diff = domain::DiffFields(spec, Json(), fields)};
  auto written = store.Write(actor, {m});
  EXPECT_THAT(written, IsOk()) << spec.type << " " << fields.dump();
  return written.ok() ? written->front().id : 0;
}

// Sets `set` over record `id` of `spec`.
inline void UpdateRaw(store::Store& store, const store::Actor& actor,
                      const domain::RegisterSpec& spec, int64_t id, const Json& set) {
  auto before = store.Get(spec, actor.org_id, id);
  ASSERT_THAT(before, IsOk());
  Json fields = before->fields;
  for (const auto& [k, v] : set.items()) fields[k] = v;
  store::Mutation m{.kind = store::Mutation::Kind::kUpdate,
                    .spec = &spec,
                    .id = id,
                    .expected_version = before->version,
                    .fields = fields,
                    .action = "update",
                    .diff = domain::DiffFields(spec, before->fields, fields)};
  ASSERT_THAT(store.Write(actor, {m}), IsOk());
}

inline void DeleteRaw(store::Store& store, const store::Actor& actor,
                      const domain::RegisterSpec& spec, int64_t id) {
  auto before = store.Get(spec, actor.org_id, id);
  ASSERT_THAT(before, IsOk());
  store::Mutation m{.kind = store::Mutation::Kind::kDelete,
                    .spec = &spec,
                    .id = id,
                    .expected_version = before->version,
                    .action = "delete",
                    .diff = domain::DiffFields(spec, before->fields, Json())};
  ASSERT_THAT(store.Write(actor, {m}), IsOk());
}

}  // namespace rampart::test
