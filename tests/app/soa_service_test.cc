#include "app/soa_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <random>
#include <thread>

#include "app/app_fixture.h"
#include "domain/risk.h"

namespace rampart::app {
namespace {

using domain::Json;
using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

using namespace std::chrono_literals;

const Json kIncluded = {{"applicable", true}, {"reasons", {"risk_treatment"}}};

class SoaServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    registers_ = std::make_unique<RegisterService>(*store_, clock_);
    soa_ = std::make_unique<SoaService>(*store_, *registers_);
  }

  Principal As(domain::Role role) {
    Principal p = alice_;
    p.role = role;
    return p;
  }

  int64_t AppliedControl(const std::string& name, const std::string& status, Json annex) {
    auto r = registers_->Create(
        alice_, domain::AppliedControls(),
        {{"name", name}, {"status", status}, {"annex_controls", std::move(annex)}});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->id : 0;
  }

  int64_t Risk(const std::string& title, Json controls) {
    auto r = registers_->Create(alice_, domain::Risks(),
                                {{"title", title}, {"controls", std::move(controls)}});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->id : 0;
  }

  static domain::SoaLine LineOf(const std::vector<domain::SoaLine>& lines, std::string_view id) {
    for (const auto& l : lines) {
      if (l.control->id == id) return l;
    }
    ADD_FAILURE() << "no line " << id;
    return domain::SoaLine{};
  }

  // The risk's applied controls replaced by `controls`.
  void Relink(int64_t risk, Json controls) {
    auto r = registers_->Get(alice_, domain::Risks(), risk);
    ASSERT_THAT(r, IsOk());
    ASSERT_THAT(registers_->Update(alice_, domain::Risks(), risk, r->version,
                                   {{"controls", std::move(controls)}}, UpdateMode::kMerge),
                IsOk());
  }

  // Decides every control: applicable for risk treatment.
  void DecideAll(const Principal& p) {
    auto lines = soa_->List(p);
    ASSERT_THAT(lines, IsOk());
    for (const auto& l : *lines) {
      ASSERT_THAT(soa_->Update(p, l.control->id, l.entry.version, kIncluded), IsOk());
    }
  }

  std::unique_ptr<RegisterService> registers_;
  std::unique_ptr<SoaService> soa_;
};

TEST_F(SoaServiceTest, ListsTheNinetyThreeControlsUndecidedAtFirst) {
  auto lines = soa_->List(As(domain::Role::kViewer));
  ASSERT_THAT(lines, IsOk());
  ASSERT_EQ(lines->size(), 93u);
  EXPECT_EQ(lines->front().control->id, "5.1");
  EXPECT_FALSE(lines->front().entry.applicable.has_value());
  EXPECT_EQ(lines->front().entry.version, 0);
  EXPECT_EQ(soa_->List(alice_, {.theme = "Physical"})->size(), 14u);
  EXPECT_THAT(soa_->List(alice_, {.theme = "Mystic"}), StatusIs(Code::kInvalidArgument, "theme"));
  EXPECT_THAT(soa_->Get(alice_, "9.9"), StatusIs(Code::kNotFound));
}

TEST_F(SoaServiceTest, DecidesAControlWithItsVersion) {
  auto first = soa_->Update(alice_, "5.1", 0, kIncluded);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->entry.version, 1);
  EXPECT_EQ(first->entry.applicable, true);
  EXPECT_EQ(first->entry.updated_by, acme_.admin.id);
  clock_.Advance(1min);
  const Json excluded = {{"applicable", false}, {"justification", "No such activity."}};
  // Stale (the entry is at 1 now), missing, then right.
  EXPECT_THAT(soa_->Update(alice_, "5.1", 0, excluded), StatusIs(Code::kConflict));
  EXPECT_THAT(soa_->Update(alice_, "5.1", std::nullopt, excluded),
              StatusIs(Code::kPreconditionRequired));
  auto second = soa_->Update(alice_, "5.1", 1, excluded);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->entry.version, 2);
  EXPECT_EQ(second->entry.justification, "No such activity.");
  EXPECT_EQ(soa_->Get(alice_, "5.1")->entry.version, 2);
  // Each change is an audit event with its diff.
  const auto events = Events();
  ASSERT_GE(events.size(), 2u);
  const auto& created = events[events.size() - 2];
  EXPECT_EQ(created.record_type, "soa_entry");
  EXPECT_EQ(created.action, "create");
  EXPECT_EQ(created.diff["control_id"]["to"], "5.1");
  EXPECT_EQ(events.back().action, "update");
  EXPECT_EQ(events.back().record_id, created.record_id);
  EXPECT_EQ(events.back().diff["applicable"], (Json{{"from", true}, {"to", false}}));
}

TEST_F(SoaServiceTest, RefusesAnExclusionWithoutJustification) {
  std::vector<domain::FieldError> errors;
  EXPECT_THAT(soa_->Update(alice_, "8.7", 0, {{"applicable", false}}, &errors),
              StatusIs(Code::kInvalidArgument, "justification"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "justification");
  EXPECT_EQ(soa_->Get(alice_, "8.7")->entry.version, 0);  // nothing written
}

TEST_F(SoaServiceTest, OnlyEditorsDecideAndOnlyApproversApprove) {
  for (auto role : {domain::Role::kViewer, domain::Role::kContributor, domain::Role::kAuditor,
                    domain::Role::kExecutive, domain::Role::kExternalAuditor}) {
    EXPECT_THAT(soa_->Update(As(role), "5.1", 0, kIncluded), StatusIs(Code::kPermissionDenied))
        << domain::RoleName(role);
    EXPECT_THAT(soa_->List(As(role)), IsOk()) << domain::RoleName(role);
  }
  const Principal manager = As(domain::Role::kIsmsManager);
  DecideAll(manager);
  EXPECT_THAT(soa_->Approve(manager, ""), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(soa_->Approve(As(domain::Role::kContributor), ""), StatusIs(Code::kPermissionDenied));
  auto v = soa_->Approve(As(domain::Role::kExecutive), "Board meeting 12");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->number, 1);
  // A user with a one-time password to change changes nothing.
  Principal pending = alice_;
  pending.must_change_password = true;
  EXPECT_THAT(soa_->Update(pending, "5.1", 1, kIncluded), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(soa_->Approve(pending, ""), StatusIs(Code::kPermissionDenied));
}

TEST_F(SoaServiceTest, DerivesTheStatusFromTheLinkedAppliedControls) {
  EXPECT_EQ(soa_->Get(alice_, "8.13")->derived_status, "not_implemented");
  const int64_t backups = AppliedControl("Nightly backups", "implemented", {"8.13"});
  AppliedControl("Restore tests", "planned", {"8.13", "5.30"});
  const int64_t r1 = Risk("Ransomware", {backups});
  auto line = soa_->Get(alice_, "8.13");
  ASSERT_THAT(line, IsOk());
  EXPECT_EQ(line->derived_status, "partially_implemented");
  EXPECT_EQ(line->Status(), "partially_implemented");
  ASSERT_EQ(line->applied_controls.size(), 2u);
  EXPECT_EQ(line->applied_controls[0].name, "Nightly backups");
  EXPECT_EQ(line->risks, std::vector<int64_t>{r1});
  EXPECT_EQ(soa_->Get(alice_, "5.30")->derived_status, "planned");
  // An override stands over the derived status, with its reason.
  auto overridden =
      soa_->Update(alice_, "8.13", 0,
                   {{"applicable", true},
                    {"reasons", {"risk_treatment"}},
                    {"status_override", "implemented"},
                    {"override_reason", "Restore tests run by the hosting provider"}});
  ASSERT_THAT(overridden, IsOk());
  EXPECT_EQ(overridden->Status(), "implemented");
  EXPECT_EQ(overridden->derived_status, "partially_implemented");
}

TEST_F(SoaServiceTest, ListingTakesTheSameStatementsForOneOrManyLinks) {
  AppliedControl("One", "planned", {"5.1"});
  auto before = store_->StatementCount();
  ASSERT_THAT(soa_->List(alice_), IsOk());
  const uint64_t few = store_->StatementCount() - before;
  for (int i = 0; i < 20; ++i) {
    const int64_t c = AppliedControl("Control " + std::to_string(i), "implemented",
                                     {"5." + std::to_string(1 + i % 30), "8.1"});
    Risk("Risk " + std::to_string(i), {c});
    ASSERT_THAT(soa_->Update(alice_, "5." + std::to_string(2 + i), 0, kIncluded), IsOk());
  }
  // Applied controls naming Annex A controls were added: the events since are read, then
  // everything is derived again.
  before = store_->StatementCount();
  ASSERT_THAT(soa_->List(alice_), IsOk());
  EXPECT_EQ(store_->StatementCount() - before, few + 1);
  // Derived afresh: last change, applied controls, risk links, last change again (nothing
  // changed meanwhile, so they are kept), entries.
  EXPECT_EQ(few, 5u);
  // Nothing linked changed since: the links are kept, only the entries are read.
  before = store_->StatementCount();
  ASSERT_THAT(soa_->List(alice_), IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 2u);
  ASSERT_THAT(soa_->Update(alice_, "5.1", 0, kIncluded), IsOk());
  before = store_->StatementCount();
  auto lines = soa_->List(alice_);
  ASSERT_THAT(lines, IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 2u);  // a decision is not a link
  EXPECT_EQ((*lines)[0].entry.applicable, true);
}

// Listings that arrive together, when nothing is kept or after a change, bring the links up to
// date once: the others wait for it and take what it read (single flight).
TEST_F(SoaServiceTest, ConcurrentListingsBringTheLinksUpToDateOnce) {
  std::vector<int64_t> controls;
  for (int i = 0; i < 10; ++i) {
    controls.push_back(AppliedControl("Control " + std::to_string(i), "implemented",
                                      {"5." + std::to_string(1 + i), "8.7"}));
  }
  std::vector<int64_t> risks;
  for (int i = 0; i < 40; ++i) {
    risks.push_back(Risk("Risk " + std::to_string(i), {controls[static_cast<size_t>(i % 10)]}));
  }
  constexpr int kListings = 8;
  // kListings listings started together; the statements they read in all.
  auto together = [&](SoaService& soa) {
    std::latch go(kListings);
    std::vector<std::thread> threads;
    std::atomic<int> failed = 0;
    const uint64_t before = store_->StatementCount();
    for (int i = 0; i < kListings; ++i) {
      threads.emplace_back([&] {
        go.arrive_and_wait();
        auto lines = soa.List(alice_);
        if (!lines.ok() || (*lines)[0].risk_count != 4) ++failed;  // 5.1: risks 0, 10, 20, 30
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed.load(), 0);
    return store_->StatementCount() - before;
  };
  // The store's pool opens its connections at the first listings together (a statement or two
  // each to set one up): opened before counting.
  SoaService warm(*store_, *registers_);
  together(warm);
  // Nothing kept (a fresh start): one derives (last change, applied controls, risk links, last
  // change again, entries: 5), the others read the last change and the entries.
  SoaService fresh(*store_, *registers_);
  EXPECT_EQ(together(fresh), 5u + (kListings - 1) * 2u);

  // After a relink, what one listing reads to bring the links up to date...
  auto relink = [&](size_t i) { Relink(risks[i], Json::array({controls[(i + 1) % 10]})); };
  relink(1);
  uint64_t before = store_->StatementCount();
  ASSERT_THAT(fresh.List(alice_), IsOk());
  const uint64_t one = store_->StatementCount() - before;
  EXPECT_GT(one, 2u);
  // ...is read once when they come together after the same kind of change.
  relink(2);
  EXPECT_EQ(together(fresh), one + (kListings - 1) * 2u);
}

// A line keeps its first 25 risks: moving its named risks away one at a time, lowest first (the
// worst case), it names the next ones from what it kept, and reads its links again only when
// fewer than five are left; every listing equals one derived afresh.
TEST_F(SoaServiceTest, ALineNamesItsNextRisksFromWhatItKept) {
  const int64_t edr = AppliedControl("EDR", "implemented", {"8.7"});
  const int64_t mdm = AppliedControl("MDM", "planned", {"5.1"});
  std::vector<int64_t> risks;
  for (int i = 0; i < 40; ++i) risks.push_back(Risk("Malware " + std::to_string(i), {edr}));
  ASSERT_THAT(soa_->List(alice_), IsOk());
  for (size_t i = 0; i < 21; ++i) {
    Relink(risks[i], Json::array({mdm}));
    const uint64_t before = store_->StatementCount();
    auto kept = soa_->List(alice_);
    ASSERT_THAT(kept, IsOk());
    // Last change, events, entries (only risks changed: the applied controls are those kept);
    // after the 21st move only 4 of the 25 kept are left: the line's first risks are read again
    // and the result checked against the last change.
    EXPECT_EQ(store_->StatementCount() - before, i < 20 ? 3u : 5u) << "move " << i + 1;
    SoaService fresh_service(*store_, *registers_);
    auto fresh = fresh_service.List(alice_);
    ASSERT_THAT(fresh, IsOk());
    const auto a = LineOf(*kept, "8.7");
    const auto b = LineOf(*fresh, "8.7");
    EXPECT_EQ(a.risk_count, 39 - static_cast<int64_t>(i));
    EXPECT_EQ(a.risks, std::vector<int64_t>(risks.begin() + static_cast<std::ptrdiff_t>(i + 1),
                                            risks.begin() + static_cast<std::ptrdiff_t>(i + 6)));
    EXPECT_EQ(a.risks, b.risks);
    EXPECT_EQ(LineOf(*kept, "5.1").risks, LineOf(*fresh, "5.1").risks);
    EXPECT_EQ(LineOf(*kept, "5.1").risk_count, static_cast<int64_t>(i) + 1);
  }
}

TEST_F(SoaServiceTest, ListingNamesTheFirstRisksAndCountsThemAllUpToDate) {
  const int64_t c = AppliedControl("Endpoint protection", "implemented", {"8.7"});
  std::vector<int64_t> risks;
  for (int i = 0; i < 7; ++i) risks.push_back(Risk("Malware " + std::to_string(i), {c}));
  auto lines = soa_->List(alice_);
  ASSERT_THAT(lines, IsOk());
  domain::SoaLine l87 = LineOf(*lines, "8.7");
  EXPECT_EQ(l87.risk_count, 7);
  EXPECT_EQ(l87.risks, std::vector<int64_t>(risks.begin(), risks.begin() + 5));
  EXPECT_EQ(SoaService::kListedRisks, 5u);
  EXPECT_EQ(domain::SoaLineJson(l87)["risk_count"], 7);
  // One control read on its own, and the export, name every risk.
  auto one = soa_->Get(alice_, "8.7");
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ(one->risks, risks);
  EXPECT_EQ(one->risk_count, 7);
  // A new risk, a risk that no longer links, and an applied control linked to another Annex A
  // control each show in the next listing, also when made through another instance.
  RegisterService other_registers(*store_, clock_);
  risks.push_back(Risk("Malware 7", {c}));
  lines = soa_->List(alice_);
  ASSERT_THAT(lines, IsOk());
  EXPECT_EQ(LineOf(*lines, "8.7").risk_count, 8);
  auto first = other_registers.Get(alice_, domain::Risks(), risks[0]);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(other_registers.Update(alice_, domain::Risks(), risks[0], first->version,
                                     {{"controls", Json::array()}}, UpdateMode::kMerge),
              IsOk());
  lines = soa_->List(alice_);
  ASSERT_THAT(lines, IsOk());
  l87 = LineOf(*lines, "8.7");
  EXPECT_EQ(l87.risk_count, 7);
  EXPECT_EQ(l87.risks, std::vector<int64_t>(risks.begin() + 1, risks.begin() + 6));
  auto control = other_registers.Get(alice_, domain::AppliedControls(), c);
  ASSERT_THAT(control, IsOk());
  ASSERT_THAT(other_registers.Update(alice_, domain::AppliedControls(), c, control->version,
                                     {{"annex_controls", {"8.7", "8.8"}}}, UpdateMode::kMerge),
              IsOk());
  lines = soa_->List(alice_);
  ASSERT_THAT(lines, IsOk());
  EXPECT_EQ(LineOf(*lines, "8.8").risk_count, 7);
  EXPECT_EQ(LineOf(*lines, "8.8").derived_status, "implemented");
}

// What a listing keeps and brings up to date from the audit events equals what a new service
// derives from every link, through risks created, relinked and deleted, applied controls whose
// status or Annex A controls change, and lines that lose the risks they name.
TEST_F(SoaServiceTest, KeptLinksStayEqualToLinksDerivedAfresh) {
  const std::vector<std::string> annex = {"5.1", "5.2", "8.7", "8.8"};
  std::mt19937 rng(11);
  auto subset = [&](const std::vector<int64_t>& from) {
    Json out = Json::array();
    for (int64_t id : from) {
      if (rng() % 3 == 0) out.push_back(id);
    }
    return out;
  };
  std::vector<int64_t> controls;
  for (int i = 0; i < 6; ++i) {
    controls.push_back(AppliedControl("Control " + std::to_string(i), "planned",
                                      {annex[i % 4], annex[(i + 1) % 4]}));
  }
  std::vector<int64_t> risks;
  for (int i = 0; i < 14; ++i) risks.push_back(Risk("Risk " + std::to_string(i), subset(controls)));
  ASSERT_THAT(soa_->List(alice_), IsOk());
  auto summary = [](const std::vector<domain::SoaLine>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) {
      std::string s =
          l.control->id + " " + l.derived_status + " " + std::to_string(l.risk_count) + " risks";
      for (int64_t r : l.risks) s += " " + std::to_string(r);
      s += " controls";
      for (const auto& c : l.applied_controls) s += " " + std::to_string(c.id) + "/" + c.status;
      out.push_back(std::move(s));
    }
    return out;
  };
  const std::vector<std::string> statuses = {"planned", "in_progress", "implemented"};
  int incremental = 0;
  for (int step = 0; step < 60; ++step) {
    const int op = static_cast<int>(rng() % 10);
    std::string what;
    if (op < 2 || risks.empty()) {
      risks.push_back(Risk("Risk " + std::to_string(100 + step), subset(controls)));
      what = "create";
    } else if (op < 6) {
      const int64_t id = risks[rng() % risks.size()];  // drawn before the subset
      Relink(id, subset(controls));
      what = "relink";
    } else if (op < 8) {
      const size_t at = rng() % risks.size();
      auto r = registers_->Get(alice_, domain::Risks(), risks[at]);
      ASSERT_THAT(r, IsOk());
      ASSERT_THAT(registers_->Delete(alice_, domain::Risks(), risks[at], r->version), IsOk());
      risks.erase(risks.begin() + static_cast<std::ptrdiff_t>(at));
      what = "delete";
    } else {
      const int64_t id = controls[rng() % controls.size()];
      auto c = registers_->Get(alice_, domain::AppliedControls(), id);
      ASSERT_THAT(c, IsOk());
      std::string status = statuses[rng() % statuses.size()];
      if (status == c->fields["status"]) status = status == "planned" ? "implemented" : "planned";
      Json change = {{"status", status}};
      if (step % 15 == 14) change["annex_controls"] = {annex[rng() % 4]};
      ASSERT_THAT(registers_->Update(alice_, domain::AppliedControls(), id, c->version, change,
                                     UpdateMode::kMerge),
                  IsOk());
      what = change.contains("annex_controls") ? "annex" : "status";
    }
    const auto before = store_->StatementCount();
    auto kept = soa_->List(alice_);
    const auto statements = store_->StatementCount() - before;
    ASSERT_THAT(kept, IsOk());
    // The last change, the events and the entries, and the applied controls when one changed:
    // no risk link read unless a line lost a risk it named (a re-read of that line and a check).
    if (what == "create" || what == "status") {
      EXPECT_EQ(statements, what == "create" ? 3u : 4u) << "step " << step << ": " << what;
      ++incremental;
    }
    SoaService fresh(*store_, *registers_);
    auto derived = fresh.List(alice_);
    ASSERT_THAT(derived, IsOk());
    ASSERT_EQ(summary(*kept), summary(*derived)) << "step " << step << ": " << what;
  }
  EXPECT_GT(incremental, 10);
}

TEST_F(SoaServiceTest, ApprovalNeedsEveryControlDecidedAndKeepsASnapshot) {
  ASSERT_THAT(soa_->Update(alice_, "5.1", 0, kIncluded), IsOk());
  auto refused = soa_->Approve(alice_, "");
  EXPECT_THAT(refused, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(refused.status().message(), HasSubstr("92 of the 93 controls are not decided"));
  DecideAll(alice_);
  clock_.Advance(1h);
  auto v1 = soa_->Approve(alice_, "  First version ");
  ASSERT_THAT(v1, IsOk());
  EXPECT_EQ(v1->number, 1);
  EXPECT_EQ(v1->approved_by, acme_.admin.id);
  EXPECT_EQ(v1->approved_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(v1->note, "First version");
  EXPECT_EQ(Events().back().record_type, "soa_version");
  EXPECT_EQ(Events().back().action, "approve");
  auto read = soa_->Version(alice_, 1);
  ASSERT_THAT(read, IsOk());
  ASSERT_EQ(read->snapshot.size(), 93u);
  EXPECT_EQ(read->snapshot[0]["control_id"], "5.1");
  EXPECT_EQ(read->snapshot[0]["applicable"], true);
  EXPECT_EQ(read->approver, v1->approver);
  EXPECT_THAT(soa_->Approve(alice_, std::string(2001, 'x')),
              StatusIs(Code::kInvalidArgument, "note"));
  auto v2 = soa_->Approve(alice_, "");
  ASSERT_THAT(v2, IsOk());
  EXPECT_EQ(v2->number, 2);
  auto listed = soa_->Versions(alice_);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->front().number, 2);  // newest first
  EXPECT_TRUE(listed->front().snapshot.is_null());
  EXPECT_THAT(soa_->Version(alice_, 3), StatusIs(Code::kNotFound));
}

TEST_F(SoaServiceTest, ComparesTwoVersionsControlByControl) {
  DecideAll(alice_);
  ASSERT_THAT(soa_->Approve(alice_, ""), IsOk());
  ASSERT_THAT(soa_->Update(alice_, "7.4", 1,
                           {{"applicable", false}, {"justification", "No physical premises."}}),
              IsOk());
  AppliedControl("Clean desk", "implemented", {"7.7"});
  ASSERT_THAT(soa_->Approve(alice_, ""), IsOk());

  auto c = soa_->Compare(alice_, "1", "2");
  ASSERT_THAT(c, IsOk());
  ASSERT_EQ(c->changes.size(), 2u);
  EXPECT_EQ(c->changes[0].control_id, "7.4");
  ASSERT_EQ(c->changes[0].changes.size(), 3u);
  EXPECT_EQ(c->changes[0].changes[0].field, "applicable");
  EXPECT_EQ(c->changes[0].changes[1].field, "reasons");
  EXPECT_EQ(c->changes[0].changes[2].field, "justification");
  EXPECT_EQ(c->changes[1].control_id, "7.7");
  EXPECT_EQ(c->changes[1].changes[0].field, "status");
  EXPECT_EQ(c->changes[1].changes[0].to, "implemented");
  // Against the statement as it is now.
  EXPECT_TRUE(soa_->Compare(alice_, "2", "current")->changes.empty());
  EXPECT_EQ(soa_->Compare(alice_, "current", "1")->changes.size(), 2u);
  EXPECT_THAT(soa_->Compare(alice_, "one", "2"), StatusIs(Code::kInvalidArgument, "from"));
  EXPECT_THAT(soa_->Compare(alice_, "1", "0"), StatusIs(Code::kInvalidArgument, "to"));
  EXPECT_THAT(soa_->Compare(alice_, "1", "9"), StatusIs(Code::kNotFound));
}

TEST_F(SoaServiceTest, OrganisationsNeverSeeEachOthersStatement) {
  DecideAll(alice_);
  ASSERT_THAT(soa_->Approve(alice_, "Acme only"), IsOk());
  AppliedControl("Acme policy", "implemented", {"5.1"});
  const Principal bob = Globex();
  auto line = soa_->Get(bob, "5.1");
  ASSERT_THAT(line, IsOk());
  EXPECT_FALSE(line->entry.applicable.has_value());
  EXPECT_TRUE(line->applied_controls.empty());
  EXPECT_EQ(line->derived_status, "not_implemented");
  EXPECT_TRUE(soa_->Versions(bob)->empty());
  EXPECT_THAT(soa_->Version(bob, 1), StatusIs(Code::kNotFound));
  // Bob's first decision of 5.1 is his own version 1, not a conflict with Acme's entry.
  EXPECT_THAT(soa_->Update(bob, "5.1", 0, kIncluded), IsOk());
}

TEST_F(SoaServiceTest, ExportsEveryColumnOfEveryControl) {
  ASSERT_THAT(soa_->Update(alice_, "5.1", 0,
                           {{"applicable", true},
                            {"reasons", {"contractual"}},
                            {"justification", "=HYPERLINK(\"x\")"}}),
              IsOk());
  auto csv = soa_->ExportCsv(As(domain::Role::kViewer));
  ASSERT_THAT(csv, IsOk());
  size_t rows = 0;
  for (size_t pos = 0; (pos = csv->find("\r\n", pos)) != std::string::npos; pos += 2) ++rows;
  EXPECT_EQ(rows, 94u);
  EXPECT_EQ(csv->substr(0, csv->find("\r\n")),
            "Control,Title,Theme,Control type,Security properties,Cybersecurity concepts,"
            "Operational capabilities,Security domains,Applicable,Reasons for inclusion,"
            "Justification,Implementation status,Derived status,Status override,Override "
            "reason,Applied controls,Risks");
  EXPECT_THAT(*csv, HasSubstr("\"'=HYPERLINK"));  // neutralised
  auto xlsx = soa_->ExportXlsx(alice_);
  ASSERT_THAT(xlsx, IsOk());
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
}

}  // namespace
}  // namespace rampart::app
