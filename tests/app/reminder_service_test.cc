// Reminders (issue 14) on both backends: what a person's digest lists (tasks due within a week
// or overdue, reviews due, documents to acknowledge, measurements due), that each digest is
// recorded and e-mailed exactly once per person, organisation and day — also by two instances
// (two Stores with their own services) running passes at the same time —, that failed e-mails
// are retried without a second notification, that the statements a pass runs do not grow with
// the number of people, and the notifications of one person in one organisation only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <mutex>
#include <thread>

#include "app/services.h"
#include "domain/context.h"
#include "domain/monitoring.h"
#include "domain/support.h"
#include "domain/tasks.h"
#include "support/fixed_clock.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::app {
namespace {

using domain::Json;
using test::Backend;
using test::IsOk;
using test::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Records what it is asked to send; fails while `fail` is set.
class FakeMail final : public MailSender {
 public:
  Status Send(const OutgoingMail& mail) override {
    std::lock_guard lock(mu_);
    if (fail) return Unavailable("SMTP connection refused");
    sent.push_back(mail);
    return Status::Ok();
  }
  std::vector<OutgoingMail> Sent() {
    std::lock_guard lock(mu_);
    return sent;
  }
  bool fail = false;

 private:
  std::mutex mu_;
  std::vector<OutgoingMail> sent;
};

Principal PrincipalOf(const domain::Organisation& org, const domain::User& user,
                      domain::Role role = domain::Role::kAdmin) {
  return Principal{.user_id = user.id,
                   .username = user.username,
                   .display_name = user.display_name,
                   .org_id = org.id,
                   .org_name = org.name,
                   .role = role,
                   .credential = Credential::kSession};
}

class ReminderTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = test::BackendDatabase::Create(GetParam());
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    auto store = Open();
    ASSERT_NE(store, nullptr);
    store_ = std::move(store);
    services_ = std::make_unique<Services>(*store_, clock_);
    auto acme = test::CreateTenant(*store_, "Acme", "alice", FormatUtc(clock_.Now()));
    ASSERT_THAT(acme, IsOk());
    acme_ = *acme;
    alice_ = PrincipalOf(acme_.org, acme_.admin);
    auto bob = test::AddMember(*store_, acme_.org.id, "bob", FormatUtc(clock_.Now()));
    ASSERT_THAT(bob, IsOk());
    bob_ = *bob;
    today_ = FormatDate(clock_.Now());  // 2026-03-14
    ASSERT_THAT(services_->auth.SetEmail(alice_, "alice@example.org"), IsOk());
  }

  std::unique_ptr<store::Store> Open() {
    auto store = store::OpenStore(db_->url());
    EXPECT_THAT(store, IsOk());
    if (!store.ok()) return nullptr;
    EXPECT_THAT((*store)->Migrate(), IsOk());
    return std::move(store).value();
  }

  int64_t Create(const domain::RegisterSpec& spec, Json fields) {
    auto r = services_->registers.Create(alice_, spec, fields);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->id : 0;
  }
  int64_t Task(const std::string& title, int64_t owner, int due_in_days,
               const std::string& status = "open") {
    Json fields = {{"title", title},
                   {"owner", owner},
                   {"status", status},
                   {"due_date", domain::AddDays(today_, due_in_days)}};
    if (status == "done") fields["outcome"] = "Done as planned.";
    return Create(domain::Tasks(), fields);
  }

  ReminderOptions Options(MailSender* mail, const std::string& holder = "test") {
    return {.public_url = "https://isms.example.org", .mail = mail, .holder = holder};
  }

  int64_t Count(const std::string& sql) { return db_->QueryInt(sql); }

  test::FixedClock clock_{test::TestEpoch()};
  std::unique_ptr<test::BackendDatabase> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Services> services_;
  test::Tenant acme_;
  Principal alice_;
  domain::User bob_;
  std::string today_;
};

TEST_P(ReminderTest, ADigestListsTasksDueWithinAWeekOrOverdueReviewsAndMeasurementsDue) {
  Task("Rotate the backup keys", acme_.admin.id, -3);    // overdue
  Task("Renew the TLS certificate", acme_.admin.id, 7);  // due at the horizon
  Task("Plan next year's audit", acme_.admin.id, 8);     // beyond it
  Task("Already done", acme_.admin.id, -1, "done");
  Task("Bob's own task", bob_.id, 0);
  Create(domain::ContextIssues(), {{"title", "Cloud migration"},
                                   {"kind", "external"},
                                   {"owner", acme_.admin.id},
                                   {"next_review", domain::AddDays(today_, -1)}});
  Create(domain::ContextIssues(), {{"title", "Reviewed later"},
                                   {"kind", "external"},
                                   {"owner", acme_.admin.id},
                                   {"next_review", domain::AddDays(today_, 30)}});
  Create(domain::Metrics(), {{"title", "Patch coverage"},
                             {"method", "the patch report"},
                             {"measured_by", acme_.admin.id},
                             {"unit", "%"},
                             {"direction", "higher"},
                             {"target_value", 95},
                             {"frequency_unit", "days"},
                             {"start_date", domain::AddDays(today_, -1)}});

  FakeMail mail;
  auto pass = services_->reminders.RunPass(Options(&mail));
  ASSERT_THAT(pass, IsOk());
  EXPECT_TRUE(pass->ran);
  EXPECT_EQ(pass->digests, 2);      // alice and bob
  EXPECT_EQ(pass->emails_sent, 1);  // bob has no address

  const auto sent = mail.Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "alice@example.org");
  EXPECT_EQ(sent[0].subject, "[Rampart] Acme: 4 reminders for 2026-03-14");
  EXPECT_THAT(sent[0].text,
              AllOf(HasSubstr("Rotate the backup keys (overdue: due 2026-03-11)"),
                    HasSubstr("Renew the TLS certificate (due 2026-03-21)"),
                    HasSubstr("Context issue: Cloud migration (overdue: review due 2026-03-13)"),
                    HasSubstr("Patch coverage"), HasSubstr("https://isms.example.org/tasks/"),
                    Not(HasSubstr("Plan next year's audit")), Not(HasSubstr("Already done")),
                    Not(HasSubstr("Reviewed later")), Not(HasSubstr("Bob's own task"))));

  // Both have their notification in the app; bob's lists his task.
  auto alice_page = services_->notifications.List(alice_, 0, 20);
  ASSERT_THAT(alice_page, IsOk());
  ASSERT_EQ(alice_page->notifications.size(), 1u);
  EXPECT_EQ(alice_page->notifications[0].title, "4 reminders for 2026-03-14");
  EXPECT_EQ(alice_page->notifications[0].summary,
            "2 tasks (1 overdue), 1 review due (1 overdue), 1 measurement due");
  const Principal bob = PrincipalOf(acme_.org, bob_);
  auto bob_page = services_->notifications.List(bob, 0, 20);
  ASSERT_THAT(bob_page, IsOk());
  ASSERT_EQ(bob_page->notifications.size(), 1u);
  EXPECT_EQ(bob_page->notifications[0].items[0]["label"], "Bob's own task");
  EXPECT_EQ(*services_->notifications.Unread(bob), 1);
}

TEST_P(ReminderTest, AwarenessToCompleteIsInTheDigestOfEachPersonAskedUntilCompleted) {
  // Bob is asked to complete a campaign; alice, who launched it, is not.
  const int64_t campaign =
      Create(domain::AwarenessCampaigns(), {{"topic", "Reporting phishing"},
                                            {"audience_people", {{{"person", bob_.id}}}},
                                            {"due_date", domain::AddDays(today_, 10)}});
  auto launched = services_->awareness.Launch(alice_, campaign, 1);
  ASSERT_THAT(launched, IsOk());
  ASSERT_EQ(launched->invited, 1);

  auto pass = services_->reminders.RunPass(Options(nullptr));
  ASSERT_THAT(pass, IsOk());
  EXPECT_EQ(pass->digests, 1);
  const Principal bob = PrincipalOf(acme_.org, bob_);
  auto page = services_->notifications.List(bob, 0, 20);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->notifications.size(), 1u);
  EXPECT_EQ(page->notifications[0].summary, "1 awareness topic to complete");
  ASSERT_EQ(page->notifications[0].items.size(), 1u);
  const Json& item = page->notifications[0].items[0];
  EXPECT_EQ(item["section"], "awareness");
  EXPECT_EQ(item["label"], "Reporting phishing");
  EXPECT_EQ(item["due"], domain::AddDays(today_, 10));
  EXPECT_EQ(item["href"], "/my#to-complete");
  EXPECT_EQ(item["overdue"], false);

  // Completed, it is not in the next day's digest (nothing else waits: no digest at all).
  auto mine = services_->awareness.Mine(bob);
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 1u);
  ASSERT_THAT(services_->awareness.Complete(bob, mine->front().id), IsOk());
  clock_.Advance(std::chrono::hours(24));
  auto next = services_->reminders.RunPass(Options(nullptr));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->digests, 0);
}

TEST_P(ReminderTest, ASecondPassTheSameDaySendsNothingAndAnEmptyDigestNothingAtAll) {
  FakeMail mail;
  // Nothing waits for anyone: no notification, no e-mail.
  auto empty = services_->reminders.RunPass(Options(&mail));
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(empty->digests, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 0);

  Task("Rotate the backup keys", acme_.admin.id, -3);
  ASSERT_THAT(services_->reminders.RunPass(Options(&mail)), IsOk());
  auto again = services_->reminders.RunPass(Options(&mail));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->digests, 0);
  EXPECT_EQ(again->emails_sent, 0);
  EXPECT_EQ(mail.Sent().size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reminder_digests WHERE email_status = 'sent'"), 1);

  // The next day is another digest.
  clock_.Advance(std::chrono::hours(24));
  ASSERT_THAT(services_->reminders.RunPass(Options(&mail)), IsOk());
  EXPECT_EQ(mail.Sent().size(), 2u);
}

TEST_P(ReminderTest, WithoutSmtpThereIsNoEmailOnlyTheNotification) {
  Task("Rotate the backup keys", acme_.admin.id, -3);
  auto pass = services_->reminders.RunPass(Options(nullptr));
  ASSERT_THAT(pass, IsOk());
  EXPECT_EQ(pass->digests, 1);
  EXPECT_EQ(pass->emails_sent, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reminder_digests WHERE email_status = 'none'"), 1);
  EXPECT_EQ(*services_->notifications.Unread(alice_), 1);
}

TEST_P(ReminderTest, AFailedEmailIsRetriedOnLaterPassesWithoutASecondNotification) {
  Task("Rotate the backup keys", acme_.admin.id, -3);
  FakeMail mail;
  mail.fail = true;
  auto failed = services_->reminders.RunPass(Options(&mail));
  ASSERT_THAT(failed, IsOk());
  EXPECT_EQ(failed->emails_failed, 1);  // tried once in a pass, not again and again
  ASSERT_EQ(failed->errors.size(), 1u);
  EXPECT_THAT(failed->errors[0], HasSubstr("SMTP connection refused"));
  EXPECT_EQ(Count("SELECT email_attempts FROM reminder_digests"), 1);

  mail.fail = false;
  clock_.Advance(std::chrono::minutes(15));
  auto retried = services_->reminders.RunPass(Options(&mail));
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->digests, 0);
  EXPECT_EQ(retried->emails_sent, 1);
  EXPECT_EQ(mail.Sent().size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 1);
  EXPECT_EQ(Count("SELECT email_attempts FROM reminder_digests WHERE email_status = 'sent'"), 2);

  // Given up after domain::kMaxEmailAttempts.
  Task("Another", bob_.id, 0);
  ASSERT_THAT(services_->auth.SetEmail(PrincipalOf(acme_.org, bob_), "bob@example.org"), IsOk());
  clock_.Advance(std::chrono::hours(24));
  mail.fail = true;
  for (int i = 0; i < domain::kMaxEmailAttempts + 2; ++i) {
    ASSERT_THAT(services_->reminders.RunPass(Options(&mail)), IsOk());
  }
  EXPECT_EQ(Count("SELECT MAX(email_attempts) FROM reminder_digests WHERE email_status = "
                  "'failed'"),
            domain::kMaxEmailAttempts);
}

TEST_P(ReminderTest, TwoInstancesRecordAndSendEachDigestExactlyOnce) {
  for (int i = 0; i < 6; ++i) {
    auto m = test::AddMember(*store_, acme_.org.id, "person" + std::to_string(i),
                             FormatUtc(clock_.Now()));
    ASSERT_THAT(m, IsOk());
    ASSERT_THAT(services_->members.SetUserEmail("person" + std::to_string(i),
                                                "person" + std::to_string(i) + "@example.org"),
                IsOk());
    Task("Task of person " + std::to_string(i), m->id, -1);
  }
  // A second instance: a Store of its own (its own connections) on the same database.
  auto other_store = Open();
  ASSERT_NE(other_store, nullptr);
  Services other(*other_store, clock_);
  FakeMail mail_a;
  FakeMail mail_b;
  std::latch start(2);
  Result<ReminderPass> a = ReminderPass{};
  Result<ReminderPass> b = ReminderPass{};
  std::thread ta([&] {
    start.arrive_and_wait();
    for (int i = 0; i < 3 && a.ok(); ++i) a = services_->reminders.RunPass(Options(&mail_a, "a"));
  });
  std::thread tb([&] {
    start.arrive_and_wait();
    for (int i = 0; i < 3 && b.ok(); ++i) b = other.reminders.RunPass(Options(&mail_b, "b"));
  });
  ta.join();
  tb.join();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  // Whichever instance held the lease, every person got one e-mail and one notification.
  ASSERT_THAT(services_->reminders.RunPass(Options(&mail_a, "a")), IsOk());
  std::map<std::string, int> per_person;
  for (const auto& m : mail_a.Sent()) ++per_person[m.to];
  for (const auto& m : mail_b.Sent()) ++per_person[m.to];
  EXPECT_EQ(per_person.size(), 6u);
  for (const auto& [to, n] : per_person) EXPECT_EQ(n, 1) << to;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reminder_digests"), 6);
}

TEST_P(ReminderTest, ALeaseHeldByAnotherInstanceSkipsThePass) {
  auto taken = store_->TakeLease(ReminderService::kLease, "other", FormatUtc(clock_.Now()),
                                 FormatUtc(clock_.Now() + std::chrono::minutes(10)));
  ASSERT_THAT(taken, IsOk());
  EXPECT_TRUE(*taken);
  Task("Rotate the backup keys", acme_.admin.id, -3);
  auto pass = services_->reminders.RunPass(Options(nullptr, "me"));
  ASSERT_THAT(pass, IsOk());
  EXPECT_FALSE(pass->ran);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 0);
  // Once it runs out, the pass runs.
  clock_.Advance(std::chrono::minutes(11));
  pass = services_->reminders.RunPass(Options(nullptr, "me"));
  ASSERT_THAT(pass, IsOk());
  EXPECT_TRUE(pass->ran);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 1);
}

TEST_P(ReminderTest, APassRunsAsManyStatementsForFiftyPeopleAsForFive) {
  auto statements_for = [&](int people) {
    for (int i = 0; i < people; ++i) {
      auto m = test::AddMember(*store_, acme_.org.id,
                               "p" + std::to_string(people) + "x" + std::to_string(i),
                               FormatUtc(clock_.Now()));
      EXPECT_THAT(m, IsOk());
      Task("Task " + std::to_string(i), m->id, -1);
    }
    auto members = store_->ListMembers(acme_.org.id);
    EXPECT_THAT(members, IsOk());
    const uint64_t before = store_->StatementCount();
    auto digests = services_->reminders.Digests(acme_.org, *members, today_);
    EXPECT_THAT(digests, IsOk());
    return store_->StatementCount() - before;
  };
  const uint64_t five = statements_for(5);
  const uint64_t fifty = statements_for(45);  // 50 with a task each
  EXPECT_EQ(five, fifty);
}

TEST_P(ReminderTest, NotificationsAreTheirOwnersAloneInTheirOrganisation) {
  Task("Rotate the backup keys", acme_.admin.id, -3);
  Task("Bob's own task", bob_.id, 0);
  ASSERT_THAT(services_->reminders.RunPass(Options(nullptr)), IsOk());
  auto mine = services_->notifications.List(alice_, 0, 20);
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->notifications.size(), 1u);
  const Principal bob = PrincipalOf(acme_.org, bob_);
  auto bobs = services_->notifications.List(bob, 0, 20);
  ASSERT_THAT(bobs, IsOk());
  ASSERT_EQ(bobs->notifications.size(), 1u);
  // Alice cannot read bob's notification, nor can she as a member of another organisation.
  EXPECT_THAT(services_->notifications.MarkRead(alice_, bobs->notifications[0].id),
              StatusIs(Code::kNotFound));
  Principal alice_elsewhere = alice_;
  alice_elsewhere.org_id = acme_.org.id + 1000;
  EXPECT_THAT(services_->notifications.MarkRead(alice_elsewhere, mine->notifications[0].id),
              StatusIs(Code::kNotFound));
  auto none = services_->notifications.List(alice_elsewhere, 0, 20);
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->notifications.empty());

  EXPECT_THAT(services_->notifications.MarkRead(alice_, mine->notifications[0].id), IsOk());
  EXPECT_EQ(*services_->notifications.Unread(alice_), 0);
  EXPECT_EQ(*services_->notifications.Unread(bob), 1);
  auto marked = services_->notifications.MarkAllRead(bob);
  ASSERT_THAT(marked, IsOk());
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(*services_->notifications.Unread(bob), 0);
}

TEST_P(ReminderTest, NotificationsArePagedNewestFirst) {
  Task("Rotate the backup keys", acme_.admin.id, -3);
  for (int day = 0; day < 5; ++day) {
    ASSERT_THAT(services_->reminders.RunPass(Options(nullptr)), IsOk());
    clock_.Advance(std::chrono::hours(24));
  }
  auto first = services_->notifications.List(alice_, 0, 2);
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->notifications.size(), 2u);
  EXPECT_EQ(first->notifications[0].title, "1 reminder for 2026-03-18");
  ASSERT_NE(first->next_before, 0);
  auto second = services_->notifications.List(alice_, first->next_before, 2);
  ASSERT_THAT(second, IsOk());
  ASSERT_EQ(second->notifications.size(), 2u);
  EXPECT_EQ(second->notifications[0].title, "1 reminder for 2026-03-16");
  auto last = services_->notifications.List(alice_, second->next_before, 2);
  ASSERT_THAT(last, IsOk());
  ASSERT_EQ(last->notifications.size(), 1u);
  EXPECT_EQ(last->next_before, 0);
}

TEST_P(ReminderTest, AnEmailAddressIsValidatedNamingTheField) {
  EXPECT_THAT(services_->auth.SetEmail(alice_, "not an address"), StatusIs(Code::kInvalidArgument));
  EXPECT_EQ(services_->auth.SetEmail(alice_, "a@b.org\r\nBcc: x@y.org").field(), "email");
  EXPECT_THAT(services_->auth.SetEmail(alice_, " alice@acme.example "), IsOk());
  EXPECT_EQ(*services_->auth.Email(alice_), "alice@acme.example");
  // An administrator sets a member's; the member list shows it.
  EXPECT_THAT(services_->members.SetEmail(alice_, bob_.id, "bob@acme.example"), IsOk());
  EXPECT_EQ(services_->members.SetEmail(alice_, bob_.id, "bob@").field(), "email");
  auto members = services_->members.List(alice_);
  ASSERT_THAT(members, IsOk());
  bool found = false;
  for (const auto& m : *members) {
    if (m.id == bob_.id) {
      found = true;
      EXPECT_EQ(m.email, "bob@acme.example");
    }
  }
  EXPECT_TRUE(found);
  // Clearing it.
  EXPECT_THAT(services_->auth.SetEmail(alice_, ""), IsOk());
  EXPECT_EQ(*services_->auth.Email(alice_), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReminderTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return test::BackendName(info.param); });

}  // namespace
}  // namespace rampart::app
