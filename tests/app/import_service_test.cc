// Spreadsheet import (app::ImportService): dates as people write them, the proposed mapping, the
// dry run that changes nothing, all-or-nothing apply with one event per record, updates by id
// and by external id, and the round trip of every importable register's export (CSV and XLSX).
#include "app/import_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "app/app_fixture.h"
#include "base/sheet_reader.h"
#include "base/text.h"
#include "domain/context.h"
#include "domain/registers.h"
#include "domain/risk.h"

namespace rampart::app {
namespace {

using domain::Json;
using test::IsOk;
using test::StatusIs;

TEST(ParseSpreadsheetDateTest, ReadsIsoLocalAndNamedForms) {
  EXPECT_EQ(ParseSpreadsheetDate("2026-12-31", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("2026-12-31T00:00:00", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("2026-12-31 10:30", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("31/12/2026", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("31.12.2026", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("31-12-26", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("03/04/2026", false), "2026-04-03");
  EXPECT_EQ(ParseSpreadsheetDate("03/04/2026", true), "2026-03-04");
  EXPECT_EQ(ParseSpreadsheetDate("12/31/2026", true), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("2026/12/31", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("31 Dec 2026", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("31-Dec-26", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("December 31, 2026", false), "2026-12-31");
  EXPECT_EQ(ParseSpreadsheetDate("1 Sept 2026", false), "2026-09-01");
  // Not days: out of range, the wrong order for the setting, words, half dates.
  EXPECT_EQ(ParseSpreadsheetDate("31/12/2026", true), std::nullopt);
  EXPECT_EQ(ParseSpreadsheetDate("2026-02-30", false), std::nullopt);
  EXPECT_EQ(ParseSpreadsheetDate("29/02/2026", false), std::nullopt);
  EXPECT_EQ(ParseSpreadsheetDate("soon", false), std::nullopt);
  EXPECT_EQ(ParseSpreadsheetDate("12/2026", false), std::nullopt);
  EXPECT_EQ(ParseSpreadsheetDate("2026-12-31X", false), std::nullopt);
  EXPECT_EQ(ParseSpreadsheetDate("31 Foo 2026", false), std::nullopt);
}

class ImportServiceTest : public ServicesTest {
 protected:
  Sheet Csv(const std::string& text) {
    auto sheet = ReadCsv(text);
    EXPECT_THAT(sheet, IsOk());
    return sheet.ok() ? *sheet : Sheet{};
  }

  Result<ImportResult> Run(const domain::RegisterSpec& spec, const Sheet& sheet,
                           const std::map<std::string, std::string>& columns, bool apply) {
    ImportOptions options{.columns = columns, .apply = apply};
    return services_->imports.Run(alice_, spec, sheet, options);
  }

  // The proposal's mapping, as the API uses it by default.
  std::map<std::string, std::string> Proposed(const domain::RegisterSpec& spec,
                                              const Sheet& sheet) {
    auto proposal = services_->imports.Propose(alice_, spec, sheet);
    EXPECT_THAT(proposal, IsOk());
    std::map<std::string, std::string> out;
    if (proposal.ok()) {
      for (const auto& c : proposal->columns) out[c.header] = c.target;
    }
    return out;
  }

  int64_t CountOf(const domain::RegisterSpec& spec) {
    auto n = store_->Count(spec, acme_.org.id, {});
    EXPECT_THAT(n, IsOk());
    return n.ok() ? *n : -1;
  }

  // The smallest valid record of `spec`, its required references naming records made through
  // their registers' use cases too.
  Json SampleFor(const domain::RegisterSpec& spec) {
    test::SampleRefs refs;
    for (const auto& f : spec.fields) {
      if (!f.required || f.type != domain::FieldType::kRef) continue;
      const domain::RegisterSpec& target = *domain::FindRegisterByType(f.ref);
      const Json sample = SampleFor(target);
      auto made = services_->registers.Create(alice_, target, sample);
      // A rule of the moment may refuse it (an auditor owning what the audit covers).
      refs[f.ref] = made.ok() ? made->id : Insert(alice_, target, sample);
    }
    return test::SampleRecord(spec, alice_.user_id, refs);
  }

  static std::string Errors(const ImportRowResult& row) {
    std::string out;
    for (const auto& e : row.errors) out += (out.empty() ? "" : "; ") + e.field + ": " + e.message;
    return out;
  }
};

TEST_F(ImportServiceTest, ProposesFieldsByNameAndLabelAndSaysWhyOthersAreLeft) {
  const Sheet sheet =
      Csv("id,Title,kind,SWOT,owner,owner_name,version,updated_at,Colour,Context issue ID\r\n"
          "1,A,internal,strength,alice,Alice,1,2026-01-01,x,CI-1\r\n");
  auto proposal = services_->imports.Propose(alice_, domain::ContextIssues(), sheet);
  ASSERT_THAT(proposal, IsOk());
  std::vector<std::string> got;
  for (const auto& c : proposal->columns)
    got.push_back(c.header + "=" + c.target + " (" + c.why + ")");
  EXPECT_EQ(got, (std::vector<std::string>{
                     "id=id (Rampart's record id: the row updates that record)",
                     "Title=title (the field's name)", "kind=kind (the field's name)",
                     "SWOT=swot (the field's name)", "owner=owner (the field's name)",
                     "owner_name= (the names beside the owner column, which is imported)",
                     "version= (kept by Rampart)", "updated_at= (kept by Rampart)",
                     "Colour= (no field of this name or label)",
                     "Context issue ID=external_id (an identifier from another system)"}));
  EXPECT_EQ(proposal->rows, 1);
  ASSERT_EQ(proposal->sample.size(), 1U);
  EXPECT_EQ(proposal->sample[0][1], "A");
}

TEST_F(ImportServiceTest, ADryRunReportsEveryRowAndChangesNothing) {
  const Sheet sheet =
      Csv("Title,Kind,Owner,Next review,Climate-related\n"
          "Supplier concentration,External,alice,31/12/2026,yes\n"
          "Bad kind,Sideways,alice,2026-12-31,no\n"
          "Unknown owner,internal,mallory,2026-12-31,\n"
          "Bad day,internal,alice,30/02/2026,\n"
          ",internal,alice,,\n");
  const auto events_before = Events().size();
  auto result = Run(domain::ContextIssues(), sheet, Proposed(domain::ContextIssues(), sheet),
                    /*apply=*/false);
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(result->applied);
  EXPECT_EQ(result->created, 1);
  EXPECT_EQ(result->errors, 4);
  ASSERT_EQ(result->rows.size(), 5U);
  EXPECT_EQ(result->rows[0].outcome, ImportRowResult::Outcome::kCreated);
  EXPECT_EQ(result->rows[0].line, 2);
  EXPECT_EQ(result->rows[0].title, "Supplier concentration");
  EXPECT_EQ(result->rows[1].line, 3);
  EXPECT_EQ(Errors(result->rows[1]),
            "kind: Internal or external: \"Sideways\" is not one of Internal, External");
  EXPECT_EQ(Errors(result->rows[2]), "owner: Owner: no member of this organisation is \"mallory\"");
  EXPECT_EQ(Errors(result->rows[3]),
            "next_review: Next review: \"30/02/2026\" is not a date (2026-12-31, 31/12/2026, 31 "
            "Dec 2026)");
  ASSERT_EQ(result->rows[4].errors.size(), 1U);
  EXPECT_EQ(result->rows[4].errors[0].field, "title");
  EXPECT_EQ(CountOf(domain::ContextIssues()), 0);
  EXPECT_EQ(Events().size(), events_before);
}

TEST_F(ImportServiceTest, ApplyIsAllOrNothingWithOneEventPerRecord) {
  const Sheet bad = Csv("Title,Kind\nOne,internal\nTwo,sideways\n");
  auto refused = Run(domain::ContextIssues(), bad, Proposed(domain::ContextIssues(), bad), true);
  ASSERT_THAT(refused, IsOk());
  EXPECT_FALSE(refused->applied);
  EXPECT_EQ(refused->errors, 1);
  EXPECT_EQ(CountOf(domain::ContextIssues()), 0);

  const auto events_before = Events().size();
  const Sheet good = Csv("Title,Kind,SWOT\nOne,internal,Strength\nTwo,External,threat\n");
  auto applied = Run(domain::ContextIssues(), good, Proposed(domain::ContextIssues(), good), true);
  ASSERT_THAT(applied, IsOk());
  EXPECT_TRUE(applied->applied);
  EXPECT_EQ(applied->created, 2);
  EXPECT_EQ(CountOf(domain::ContextIssues()), 2);
  const auto events = Events();
  ASSERT_EQ(events.size(), events_before + 2);
  for (size_t i = events_before; i < events.size(); ++i) {
    EXPECT_EQ(events[i].action, "create");
    EXPECT_EQ(events[i].record_type, "context_issue");
    EXPECT_EQ(events[i].actor, "alice");
  }
  auto two = store_->Get(domain::ContextIssues(), acme_.org.id, applied->rows[1].id);
  ASSERT_THAT(two, IsOk());
  EXPECT_EQ(two->fields["title"], "Two");
  EXPECT_EQ(two->fields["kind"], "external");
  EXPECT_EQ(two->fields["swot"], "threat");
  EXPECT_EQ(two->fields["status"], "active");  // the default, the column being absent
}

// An applied import is written a batch of rows at a time (1,024 changes), in one transaction: a
// row with an error after the first batches were written leaves nothing of them, and the rows
// after it are still validated (outside the transaction) for the answer; rows naming the same
// external id are found across batches; without errors every row is written, with its id.
TEST_F(ImportServiceTest, AnImportOfManyBatchesIsWrittenWholeOrNotAtAll) {
  constexpr int kRows = 2500;
  // Row i: "Issue i", internal, key "K<i>", but for the rows given other (kind, key).
  auto sheet_of = [&](const std::map<int, std::pair<std::string, std::string>>& other) {
    std::string csv = "Title,Kind,Key\n";
    for (int i = 0; i < kRows; ++i) {
      const auto it = other.find(i);
      csv += it == other.end()
                 ? fmt::format("Issue {:04},internal,K{}\n", i, i)
                 : fmt::format("Issue {:04},{},{}\n", i, it->second.first, it->second.second);
    }
    return Csv(csv);
  };
  const std::map<std::string, std::string> columns = {
      {"Title", "title"}, {"Kind", "kind"}, {"Key", "external_id"}};
  const auto events_before = Events().size();

  auto refused = Run(domain::ContextIssues(),
                     sheet_of({{1500, {"sideways", "K1500"}}, {kRows - 1, {"upwards", "K-last"}}}),
                     columns, true);
  ASSERT_THAT(refused, IsOk());
  EXPECT_FALSE(refused->applied);
  EXPECT_EQ(refused->created, kRows - 2);
  EXPECT_EQ(refused->errors, 2);
  EXPECT_EQ(refused->rows[1500].line, 1502);
  EXPECT_EQ(Errors(refused->rows[1500]),
            "kind: Internal or external: \"sideways\" is not one of Internal, External");
  EXPECT_EQ(Errors(refused->rows.back()),
            "kind: Internal or external: \"upwards\" is not one of Internal, External");
  EXPECT_EQ(refused->rows[2000].outcome, ImportRowResult::Outcome::kCreated);
  for (const auto& row : refused->rows) ASSERT_EQ(row.id, 0) << "row " << row.line;
  EXPECT_EQ(CountOf(domain::ContextIssues()), 0);
  EXPECT_EQ(Events().size(), events_before);

  auto twice =
      Run(domain::ContextIssues(), sheet_of({{kRows - 1, {"internal", "K1"}}}), columns, true);
  ASSERT_THAT(twice, IsOk());
  EXPECT_FALSE(twice->applied);
  EXPECT_EQ(twice->errors, 1);
  EXPECT_EQ(Errors(twice->rows.back()), "external_id: external id \"K1\" is also on row 3");
  EXPECT_EQ(CountOf(domain::ContextIssues()), 0);

  auto applied = Run(domain::ContextIssues(), sheet_of({}), columns, true);
  ASSERT_THAT(applied, IsOk());
  EXPECT_TRUE(applied->applied);
  EXPECT_EQ(applied->created, kRows);
  EXPECT_EQ(applied->errors, 0);
  EXPECT_EQ(CountOf(domain::ContextIssues()), kRows);
  std::set<int64_t> ids;
  for (const auto& row : applied->rows) ids.insert(row.id);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(ids.count(0), 0U);
  for (int i : {0, 999, 1000, kRows - 1}) {
    auto r = store_->Get(domain::ContextIssues(), acme_.org.id,
                         applied->rows[static_cast<size_t>(i)].id);
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->fields["title"], fmt::format("Issue {:04}", i));
  }
  EXPECT_EQ(Events().size(), events_before + kRows);
}

// The records a sheet updates are read a window of 250 rows at a time (one statement each), not
// all before the first row: a row still finds its record, and a record named twice is still
// refused, whichever windows the rows fall in; the rows after a rolled-back apply read theirs too.
TEST_F(ImportServiceTest, RecordsToUpdateAreReadAWindowOfRowsAtATime) {
  constexpr int kRows = 700;
  std::string first = "Key,Title,Kind\n";
  for (int i = 0; i < kRows; ++i) first += fmt::format("K{},Issue {},internal\n", i, i);
  auto created = Run(domain::ContextIssues(), Csv(first),
                     {{"Key", "external_id"}, {"Title", "title"}, {"Kind", "kind"}}, true);
  ASSERT_THAT(created, IsOk());
  ASSERT_EQ(created->created, kRows);
  std::vector<int64_t> ids;
  for (const auto& row : created->rows) ids.push_back(row.id);

  // Row i names record i by id and by key; every 100th row renames it; row 400 names record 3
  // again (its first row is in the first window); row 650 has a new key and no id.
  const std::map<std::string, std::string> columns = {
      {"id", "id"}, {"Key", "external_id"}, {"Title", "title"}, {"Kind", "kind"}};
  auto sheet_of = [&](int rows, bool twice) {
    std::string csv = "id,Key,Title,Kind\n";
    for (int i = 0; i < rows; ++i) {
      const int named = twice && i == 400 ? 3 : i;
      if (i == 650) {
        csv += ",K-new,Issue new,external\n";
        continue;
      }
      csv += fmt::format("{},K{},Issue {}{},internal\n", ids[static_cast<size_t>(named)], named,
                         named, i % 100 == 0 ? " (renamed)" : "");
    }
    return Csv(csv);
  };
  const Sheet few = sheet_of(10, false);
  uint64_t before = store_->StatementCount();
  ASSERT_THAT(Run(domain::ContextIssues(), few, columns, false), IsOk());
  const uint64_t for_few = store_->StatementCount() - before;

  const Sheet all = sheet_of(kRows, false);
  before = store_->StatementCount();
  auto dry = Run(domain::ContextIssues(), all, columns, false);
  ASSERT_THAT(dry, IsOk());
  EXPECT_EQ(store_->StatementCount() - before, for_few + 2);  // three windows instead of one
  EXPECT_EQ(dry->updated, 7);
  EXPECT_EQ(dry->created, 1);
  EXPECT_EQ(dry->unchanged, kRows - 8);
  EXPECT_EQ(dry->errors, 0);
  EXPECT_EQ(dry->rows[600].id, ids[600]);
  EXPECT_EQ(dry->rows[600].changed, std::vector<std::string>{"title"});
  EXPECT_EQ(dry->rows[699].outcome, ImportRowResult::Outcome::kUnchanged);
  EXPECT_EQ(dry->rows[699].id, ids[699]);

  const auto events_before = Events().size();
  auto refused = Run(domain::ContextIssues(), sheet_of(kRows, true), columns, true);
  ASSERT_THAT(refused, IsOk());
  EXPECT_FALSE(refused->applied);
  EXPECT_EQ(refused->errors, 1);
  EXPECT_EQ(Errors(refused->rows[400]),
            fmt::format("external_id: external id \"K3\" is also on row 5; id: Context issue {} "
                        "is also on row 5",
                        ids[3]));
  // Validated after the rollback, each with its record.
  EXPECT_EQ(refused->rows[600].outcome, ImportRowResult::Outcome::kUpdated);
  EXPECT_EQ(refused->rows[600].id, ids[600]);
  EXPECT_EQ(refused->rows[699].outcome, ImportRowResult::Outcome::kUnchanged);
  EXPECT_EQ(refused->rows[650].id, 0);
  EXPECT_EQ(Events().size(), events_before);

  auto applied = Run(domain::ContextIssues(), all, columns, true);
  ASSERT_THAT(applied, IsOk());
  EXPECT_TRUE(applied->applied);
  EXPECT_EQ(applied->updated, 7);
  EXPECT_EQ(applied->created, 1);
  EXPECT_EQ(Events().size(), events_before + 8);
  auto renamed = store_->Get(domain::ContextIssues(), acme_.org.id, ids[600]);
  ASSERT_THAT(renamed, IsOk());
  EXPECT_EQ(renamed->fields["title"], "Issue 600 (renamed)");
  EXPECT_EQ(renamed->version, 2);
  EXPECT_EQ(CountOf(domain::ContextIssues()), kRows + 1);
}

TEST_F(ImportServiceTest, UpdatesByIdAndByExternalIdAndSaysWhatChanged) {
  const Sheet first = Csv("Ref,Title,Kind\nCI-1,Supplier,internal\nCI-2,Regulation,external\n");
  const std::map<std::string, std::string> by_ref = {
      {"Ref", "external_id"}, {"Title", "title"}, {"Kind", "kind"}};
  auto created = Run(domain::ContextIssues(), first, by_ref, true);
  ASSERT_THAT(created, IsOk());
  ASSERT_EQ(created->created, 2);
  const int64_t one = created->rows[0].id;

  // The same spreadsheet again, one title changed: one update, one unchanged, nothing added.
  const Sheet again =
      Csv("Ref,Title,Kind\nCI-1,Supplier lock-in,internal\nCI-2,Regulation,external\n");
  auto second = Run(domain::ContextIssues(), again, by_ref, true);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->updated, 1);
  EXPECT_EQ(second->unchanged, 1);
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->rows[0].id, one);
  EXPECT_EQ(second->rows[0].changed, std::vector<std::string>{"title"});
  EXPECT_EQ(CountOf(domain::ContextIssues()), 2);
  auto rec = store_->Get(domain::ContextIssues(), acme_.org.id, one);
  ASSERT_THAT(rec, IsOk());
  EXPECT_EQ(rec->fields["title"], "Supplier lock-in");
  EXPECT_EQ(rec->version, 2);

  // By Rampart's id: only the mapped fields change; an unknown id and a repeated one are errors.
  const Sheet by_id = Csv(fmt::format("id,SWOT\n{0},weakness\n999,threat\n{0},threat\n", one));
  auto third = Run(domain::ContextIssues(), by_id, {{"id", "id"}, {"SWOT", "swot"}}, false);
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(third->rows[0].outcome, ImportRowResult::Outcome::kUpdated);
  EXPECT_EQ(third->rows[0].changed, std::vector<std::string>{"swot"});
  EXPECT_EQ(Errors(third->rows[1]), "id: there is no context issue with id 999");
  EXPECT_EQ(Errors(third->rows[2]), fmt::format("id: Context issue {} is also on row 2", one));

  // A key repeated within the file.
  const Sheet twice = Csv("Ref,Title,Kind\nCI-9,A,internal\nCI-9,B,internal\n");
  auto fourth = Run(domain::ContextIssues(), twice, by_ref, false);
  ASSERT_THAT(fourth, IsOk());
  EXPECT_EQ(Errors(fourth->rows[1]), "external_id: external id \"CI-9\" is also on row 2");
}

TEST_F(ImportServiceTest, ReferencesByTitleOrIdAndOtherOrganisationsStayInvisible) {
  const int64_t server = Insert(alice_, domain::Assets(), {{"name", "Mail server"}});
  const int64_t laptop = Insert(alice_, domain::Assets(), {{"name", "Laptop"}});
  Insert(alice_, domain::Assets(), {{"name", "Twin"}});
  Insert(alice_, domain::Assets(), {{"name", "twin"}});
  const Principal bob = Globex();
  const int64_t theirs = Insert(bob, domain::Assets(), {{"name", "Globex vault"}});
  const Sheet sheet =
      Csv(fmt::format("Title,Assets\n"
                      "By title,Mail server\n"
                      "By ids,\"#{}\n{}\"\n"
                      "Ambiguous,Twin\n"
                      "Another organisation's,#{}\n"
                      "Another's by title,Globex vault\n",
                      server, laptop, theirs));
  auto result = Run(domain::Risks(), sheet, {{"Title", "title"}, {"Assets", "assets"}}, false);
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(result->rows.size(), 5U);
  EXPECT_EQ(result->rows[0].outcome, ImportRowResult::Outcome::kCreated) << Errors(result->rows[0]);
  EXPECT_EQ(result->rows[1].outcome, ImportRowResult::Outcome::kCreated) << Errors(result->rows[1]);
  EXPECT_EQ(Errors(result->rows[2]),
            "assets: Assets: several assets are titled \"Twin\": give the id");
  EXPECT_EQ(Errors(result->rows[3]),
            fmt::format("assets: Assets: there is no asset with id {}", theirs));
  EXPECT_EQ(Errors(result->rows[4]), "assets: Assets: there is no asset titled \"Globex vault\"");
}

TEST_F(ImportServiceTest, RefusesWhatCannotBeImportedNamingIt) {
  const Sheet sheet = Csv("Title,Kind,Number\nA,internal,3\n");
  EXPECT_THAT(Run(domain::ContextIssues(), sheet, {{"Title", "title"}, {"Nope", "title"}}, false),
              StatusIs(Code::kInvalidArgument, "columns"));
  EXPECT_THAT(Run(domain::ContextIssues(), sheet, {{"Title", "title"}, {"Kind", "title"}}, false),
              StatusIs(Code::kInvalidArgument, "columns"));
  EXPECT_THAT(Run(domain::ContextIssues(), sheet, {{"Title", "headline"}}, false),
              StatusIs(Code::kInvalidArgument, "columns"));
  EXPECT_THAT(Run(domain::ContextIssues(), sheet, {}, false),
              StatusIs(Code::kInvalidArgument, "columns"));
  // A register of approved versions is drafted on its page; a viewer imports nothing.
  EXPECT_THAT(Run(domain::ScopeStatements(), sheet, {{"Title", "title"}}, false),
              StatusIs(Code::kFailedPrecondition));
  // A register written only by its workflow has no import either (nor routes: Imports).
  EXPECT_FALSE(ImportService::Imports(domain::RiskAcceptances()));
  EXPECT_THAT(Run(domain::RiskAcceptances(), sheet, {{"Title", "risk_title"}}, false),
              StatusIs(Code::kFailedPrecondition));
  Principal viewer = alice_;
  viewer.role = domain::Role::kViewer;
  EXPECT_THAT(services_->imports.Run(viewer, domain::ContextIssues(), sheet,
                                     {.columns = {{"Title", "title"}}}),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(CountOf(domain::ContextIssues()), 0);
}

TEST_F(ImportServiceTest, SavedMappingsAreKeptPerRegisterAndAudited) {
  ImportOptions options{.columns = {{"Headline", "title"}, {"Ref", "external_id"}},
                        .month_first = true};
  auto saved =
      services_->imports.SaveMapping(alice_, domain::ContextIssues(), "From GRC tool", options);
  ASSERT_THAT(saved, IsOk());
  auto list = services_->imports.Mappings(alice_, domain::ContextIssues());
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 1U);
  auto back = ImportOptionsFromJson((*list)[0].columns);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->columns, options.columns);
  EXPECT_TRUE(back->month_first);
  EXPECT_EQ(Events().back().record_type, "import_mapping");
  // Used: the saved choice first, the rest proposed.
  const Sheet sheet = Csv("Headline,Kind,Ref\nA,internal,R1\n");
  auto proposal = services_->imports.Propose(alice_, domain::ContextIssues(), sheet, &*back);
  ASSERT_THAT(proposal, IsOk());
  EXPECT_EQ(proposal->columns[0].target, "title");
  EXPECT_EQ(proposal->columns[0].why, "the saved mapping");
  EXPECT_EQ(proposal->columns[1].target, "kind");
  // Another register has none; a bad target is refused; delete.
  auto risks = services_->imports.Mappings(alice_, domain::Risks());
  ASSERT_THAT(risks, IsOk());
  EXPECT_TRUE(risks->empty());
  EXPECT_THAT(services_->imports.SaveMapping(alice_, domain::ContextIssues(), "x",
                                             {.columns = {{"A", "version"}}}),
              StatusIs(Code::kInvalidArgument, "columns"));
  EXPECT_THAT(services_->imports.SaveMapping(alice_, domain::ContextIssues(), " ", options),
              StatusIs(Code::kInvalidArgument, "name"));
  const Principal bob = Globex();
  EXPECT_THAT(services_->imports.DeleteMapping(bob, domain::ContextIssues(), saved->id),
              StatusIs(Code::kNotFound));
  EXPECT_THAT(services_->imports.DeleteMapping(alice_, domain::ContextIssues(), saved->id), IsOk());
  list = services_->imports.Mappings(alice_, domain::ContextIssues());
  ASSERT_THAT(list, IsOk());
  EXPECT_TRUE(list->empty());
}

TEST_F(ImportServiceTest, UploadsAreTheUploadersOnly) {
  auto id =
      services_->imports.KeepUpload(alice_, domain::ContextIssues(), "issues.csv", "Title\nA\n");
  ASSERT_THAT(id, IsOk());
  auto upload = services_->imports.Upload(alice_, domain::ContextIssues(), *id);
  ASSERT_THAT(upload, IsOk());
  EXPECT_EQ(upload->first.file_name, "issues.csv");
  EXPECT_EQ(upload->second, "Title\nA\n");
  EXPECT_THAT(services_->imports.Upload(alice_, domain::Risks(), *id), StatusIs(Code::kNotFound));
  const Principal bob = Globex();
  EXPECT_THAT(services_->imports.Upload(bob, domain::ContextIssues(), *id),
              StatusIs(Code::kNotFound));
  ASSERT_THAT(services_->imports.ForgetUpload(alice_, *id), IsOk());
  EXPECT_THAT(services_->imports.Upload(alice_, domain::ContextIssues(), *id),
              StatusIs(Code::kNotFound));
}

// The round-trip property: a register's export, read back and imported with the proposed
// mapping, changes nothing — for every importable register, with records holding a value in
// every field input may set, in both formats.
TEST_F(ImportServiceTest, EveryRegistersExportImportsBackUnchanged) {
  int registers = 0;
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    if (!ImportService::Imports(*spec)) continue;
    SCOPED_TRACE(spec->type);
    // Two records: the smallest valid one, and one with a value in every optional field that
    // keeps it valid (text with commas, quotes, line breaks and a leading '=', lists, tables).
    // Created through the register's use case, so that its write hooks have had their say;
    // where a rule of the moment refuses it (an auditor owning documents the audit covers),
    // written as stored: an unchanged row is not judged again.
    const Json plain = SampleFor(*spec);
    if (!services_->registers.Create(alice_, *spec, plain).ok()) Insert(alice_, *spec, plain);
    Json rich = plain;
    for (const auto& f : spec->fields) {
      if (f.read_only || f.sequence || rich.contains(f.name)) continue;
      Json value;
      switch (f.type) {
        case domain::FieldType::kText:
          value = "Sample, \"quoted\" — ünïcode";
          break;
        case domain::FieldType::kLongText:
          value = "=not a formula\nsecond line; with a semicolon";
          break;
        case domain::FieldType::kDate:
          value = "2031-02-28";
          break;
        case domain::FieldType::kBool:
          value = true;
          break;
        case domain::FieldType::kInteger:
          value = f.max_value > 0 ? f.max_value : 3;
          break;
        case domain::FieldType::kDecimal:
          value = 2.5;
          break;
        case domain::FieldType::kEnum:
          value = f.choices.back().value;
          break;
        case domain::FieldType::kList:
          value = f.choices.empty() ? Json::array({"first item", "second, item"})
                                    : Json::array({f.choices.front().value});
          break;
        default:
          continue;
      }
      Json attempt = rich;
      attempt[f.name] = value;
      std::vector<domain::FieldError> errors;
      (void)domain::ValidateFields(*spec, attempt, domain::WriteMode::kCreate, nullptr, errors);
      if (errors.empty()) rich = std::move(attempt);
    }
    // Kept only if the register takes it (a field's rules may forbid a combination).
    (void)services_->registers.Create(alice_, *spec, rich);
    for (const auto format : {ExportFormat::kCsv, ExportFormat::kXlsx}) {
      SCOPED_TRACE(format == ExportFormat::kCsv ? "csv" : "xlsx");
      auto bytes = services_->registers.Export(alice_, *spec, {}, format);
      ASSERT_THAT(bytes, IsOk());
      auto sheet = ReadSheet(*bytes);
      ASSERT_THAT(sheet, IsOk());
      auto result = Run(*spec, *sheet, Proposed(*spec, *sheet), /*apply=*/true);
      ASSERT_THAT(result, IsOk());
      for (const auto& row : result->rows) {
        EXPECT_EQ(row.outcome, ImportRowResult::Outcome::kUnchanged)
            << "row " << row.line << ": " << Errors(row)
            << " changed: " << (row.changed.empty() ? "" : row.changed.front());
      }
      EXPECT_EQ(result->unchanged, static_cast<int64_t>(CountOf(*spec)));
    }
    ++registers;
  }
  EXPECT_GE(registers, 20);
}

}  // namespace
}  // namespace rampart::app
