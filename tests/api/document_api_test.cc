// Clause 7.5 through the API: a policy from draft to published and acknowledged by staff, a new
// draft while the published version stays what staff read, approval by top management with the
// hash of what was approved, and what a staff member may and may not see.
#include <string>

#include "api_fixture.h"

namespace rampart::testing {
namespace {

class DocumentApi : public ApiTest {
 protected:
  static constexpr const char* kPassword = "paper trail 4 policies";

  int64_t AddMember(const std::string& name, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = name, .role = role, .password = kPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->user.id : 0;
  }
  httplib::Headers As(const std::string& name) { return SessionHeaders(SignIn(name, kPassword)); }
  httplib::Result PostAs(const httplib::Headers& who, const std::string& path,
                         const Json& body = Json::object(), const std::string& if_match = "") {
    auto h = who;
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return Client().Post(path, h, body.dump(), "application/json");
  }
  static std::string Tag(const httplib::Result& r) { return r->get_header_value("ETag"); }
  static std::string V(const std::string& base, int64_t id) {
    return base + "/" + std::to_string(id);
  }
};

TEST_F(DocumentApi, APolicyIsApprovedByTopManagementPublishedAndAcknowledged) {
  AddMember("erin", domain::Role::kExecutive);
  const int64_t sam = AddMember("sam", domain::Role::kStaff);
  const int64_t tess = AddMember("tess", domain::Role::kStaff);
  AddMember("olga", domain::Role::kViewer);  // not in the distribution

  auto doc = Post("/api/v1/documents", {{"title", "Information security policy"},
                                        {"type", "isms_policy"},
                                        {"distribution_roles", {"staff"}}});
  ASSERT_EQ(doc->status, 201) << doc->body;
  EXPECT_EQ(Body(doc)["series"], "POL");
  EXPECT_EQ(Body(doc)["number"], 1);
  EXPECT_EQ(Body(doc)["status"], "unpublished");
  const int64_t doc_id = Body(doc)["id"].get<int64_t>();
  const std::string doc_path = V("/api/v1/documents", doc_id);
  // A procedure is numbered in its own series.
  auto proc = Post("/api/v1/documents", {{"title", "Access review"}, {"type", "procedure"}});
  EXPECT_EQ(Body(proc)["series"], "PRO");
  EXPECT_EQ(Body(proc)["number"], 1);

  auto draft = Post(doc_path + "/versions", Json::object());
  ASSERT_EQ(draft->status, 201) << draft->body;
  EXPECT_EQ(Body(draft)["version_number"], 1);
  EXPECT_EQ(Body(draft)["status"], "draft");
  EXPECT_EQ(Body(draft)["title"], "POL-001 Information security policy — version 1");
  const std::string v1 = V("/api/v1/document-versions", Body(draft)["id"].get<int64_t>());
  // One version in preparation at a time.
  auto second = Post(doc_path + "/versions", Json::object());
  EXPECT_EQ(second->status, 409);
  EXPECT_EQ(Error(second), "failed_precondition/");

  // The draft's editor writes the text and the summary, nothing else.
  auto status_edit = Patch(v1 + "/text", {{"status", "published"}}, Tag(draft));
  EXPECT_EQ(status_edit->status, 400);
  EXPECT_EQ(Error(status_edit), "invalid_argument/status");
  auto empty_submit = PostAs(Bearer(), v1 + "/submit", Json::object(), Tag(draft));
  EXPECT_EQ(Error(empty_submit), "invalid_argument/body");
  auto edited = Patch(v1 + "/text",
                      {{"body", "# Policy\n\nWe protect information.\nLine three."},
                       {"change_summary", "First issue"}},
                      Tag(draft));
  ASSERT_EQ(edited->status, 200) << edited->body;
  auto submitted = PostAs(Bearer(), v1 + "/submit", Json::object(), Tag(edited));
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  EXPECT_EQ(Body(submitted)["status"], "in_review");

  // A policy is approved by top management: not the administrator who submitted it.
  auto by_admin = PostAs(Bearer(), v1 + "/approve", Json::object(), Tag(submitted));
  EXPECT_EQ(by_admin->status, 403);
  const auto erin = As("erin");
  auto approved = PostAs(erin, v1 + "/approve", Json::object(), Tag(submitted));
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(Body(approved)["status"], "approved");
  EXPECT_EQ(Body(approved)["content_hash"].get<std::string>().size(), 64u);
  // Publishing is not the approver's alone to skip: it needs the approved version.
  auto published = PostAs(Bearer(), v1 + "/publish", Json::object(), Tag(approved));
  ASSERT_EQ(published->status, 200) << published->body;
  EXPECT_EQ(Body(published)["status"], "published");

  const Json d = Body(Get(doc_path));
  EXPECT_EQ(d["status"], "published");
  EXPECT_EQ(d["published_version"], 1);
  EXPECT_TRUE(d["draft_version"].is_null());
  EXPECT_TRUE(d["next_review"].is_string());  // twelve months on by default

  // Everyone with the staff role was asked; nobody else.
  Json summary = Body(Get(doc_path + "/acknowledgements"));
  EXPECT_EQ(summary["asked"], 2);
  EXPECT_EQ(summary["acknowledged"], 0);

  const auto sam_s = As("sam");
  const Json work = Body(Get("/api/v1/my/work", sam_s));
  ASSERT_EQ(work["acknowledgements"].size(), 1u);
  const int64_t ack = work["acknowledgements"][0]["id"].get<int64_t>();
  EXPECT_EQ(work["acknowledgements"][0]["person"], sam);
  // Staff read the published document, and nothing else of the ISMS.
  auto reads = Get(doc_path + "/published", sam_s);
  ASSERT_EQ(reads->status, 200) << reads->body;
  EXPECT_EQ(Body(reads)["reference"], "POL-001");
  EXPECT_EQ(Body(reads)["version"]["version_number"], 1);
  EXPECT_EQ(Get(doc_path, sam_s)->status, 403);
  EXPECT_EQ(Get("/api/v1/risks", sam_s)->status, 403);
  EXPECT_EQ(
      Get(V("/api/v1/documents", Body(proc)["id"].get<int64_t>()) + "/published", sam_s)->status,
      404);
  // A viewer outside the distribution has nothing to acknowledge.
  EXPECT_EQ(Body(Get("/api/v1/my/work", As("olga")))["acknowledgements"].size(), 0u);

  // Only one's own acknowledgement, once.
  const auto tess_s = As("tess");
  EXPECT_EQ(PostAs(tess_s, V("/api/v1/document-acknowledgements", ack) + "/acknowledge")->status,
            404);
  auto acked = PostAs(sam_s, V("/api/v1/document-acknowledgements", ack) + "/acknowledge");
  ASSERT_EQ(acked->status, 200) << acked->body;
  EXPECT_EQ(Body(acked)["status"], "acknowledged");
  EXPECT_EQ(PostAs(sam_s, V("/api/v1/document-acknowledgements", ack) + "/acknowledge")->status,
            409);
  summary = Body(Get(doc_path + "/acknowledgements"));
  EXPECT_EQ(summary["acknowledged"], 1);
  EXPECT_DOUBLE_EQ(summary["rate"].get<double>(), 0.5);
  ASSERT_EQ(summary["waiting"].size(), 1u);
  EXPECT_EQ(summary["waiting"][0]["person"], tess);

  // A new draft: the published version stays what staff read until the next is published.
  auto v2 = Post(doc_path + "/versions", Json::object());
  ASSERT_EQ(v2->status, 201) << v2->body;
  EXPECT_EQ(Body(v2)["version_number"], 2);
  EXPECT_EQ(Body(v2)["body"], "# Policy\n\nWe protect information.\nLine three.");
  const int64_t v2_id = Body(v2)["id"].get<int64_t>();
  auto v2_edited =
      Patch(V("/api/v1/document-versions", v2_id) + "/text",
            {{"body", "# Policy\n\nWe protect all information.\nLine three."}}, Tag(v2));
  ASSERT_EQ(v2_edited->status, 200);
  EXPECT_EQ(Body(Get(doc_path + "/published", sam_s))["version"]["body"],
            "# Policy\n\nWe protect information.\nLine three.");

  // Comparing: the changed line removed and added, the rest the same.
  const Json cmp =
      Body(Get("/api/v1/document-versions/compare?from=" +
               std::to_string(Body(draft)["id"].get<int64_t>()) + "&to=" + std::to_string(v2_id)));
  ASSERT_EQ(cmp["text"].size(), 5u) << cmp.dump();
  EXPECT_EQ(cmp["text"][2], (Json{{"change", "removed"}, {"line", "We protect information."}}));
  EXPECT_EQ(cmp["text"][3], (Json{{"change", "added"}, {"line", "We protect all information."}}));
  EXPECT_EQ(cmp["text"][4], (Json{{"change", "same"}, {"line", "Line three."}}));
}

TEST_F(DocumentApi, WhatWasApprovedIsWhatIsPublished) {
  AddMember("erin", domain::Role::kExecutive);
  auto doc = Post("/api/v1/documents", {{"title", "Backup procedure"}, {"type", "procedure"}});
  const int64_t doc_id = Body(doc)["id"].get<int64_t>();
  auto draft = Post(V("/api/v1/documents", doc_id) + "/versions", Json::object());
  const std::string v1 = V("/api/v1/document-versions", Body(draft)["id"].get<int64_t>());
  auto edited = Patch(v1 + "/text", {{"body", "Back up nightly."}}, Tag(draft));
  auto submitted = PostAs(Bearer(), v1 + "/submit", Json::object(), Tag(edited));
  // A procedure may be approved by an executive; the submitter cannot approve their own.
  auto own = PostAs(Bearer(), v1 + "/approve", Json::object(), Tag(submitted));
  EXPECT_EQ(own->status, 403);
  auto approved = PostAs(As("erin"), v1 + "/approve", Json::object(), Tag(submitted));
  ASSERT_EQ(approved->status, 200) << approved->body;

  // The document's classification changes after approval: publishing is refused and nothing
  // changes.
  auto changed = Patch(V("/api/v1/documents", doc_id), {{"classification", "restricted"}},
                       Tag(Get(V("/api/v1/documents", doc_id))));
  ASSERT_EQ(changed->status, 200) << changed->body;
  auto refused = PostAs(Bearer(), v1 + "/publish", Json::object(), Tag(approved));
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(Error(refused), "failed_precondition/");
  EXPECT_EQ(Body(Get(v1))["status"], "approved");
  EXPECT_EQ(Body(Get(V("/api/v1/documents", doc_id)))["status"], "unpublished");
  // A stale version is refused too.
  EXPECT_EQ(PostAs(Bearer(), v1 + "/return", Json::object(), "\"1\"")->status, 412);
  auto returned = PostAs(Bearer(), v1 + "/return", Json::object(), Tag(approved));
  ASSERT_EQ(returned->status, 200);
  EXPECT_EQ(Body(returned)["status"], "draft");
  EXPECT_TRUE(Body(returned)["content_hash"].is_null());
}

TEST_F(DocumentApi, VersionsAreWrittenOnlyThroughTheirWorkflow) {
  auto doc = Post("/api/v1/documents", {{"title", "Plan"}, {"type", "plan"}});
  auto direct =
      Post("/api/v1/document-versions", {{"document", Body(doc)["id"]}, {"body", "sneaked in"}});
  EXPECT_EQ(direct->status, 405);
  auto ack = Post("/api/v1/document-acknowledgements", {{"document", Body(doc)["id"]}});
  EXPECT_EQ(ack->status, 405);
  EXPECT_EQ(Body(Get("/api/v1/document-versions"))["data"].size(), 0u);
}

TEST_F(DocumentApi, AnotherOrganisationFindsNoneOfIt) {
  auto doc = Post("/api/v1/documents", {{"title", "Access policy"}, {"type", "topic_policy"}});
  const std::string path = V("/api/v1/documents", Body(doc)["id"].get<int64_t>());
  auto draft = Post(path + "/versions", Json::object());
  ASSERT_EQ(draft->status, 201);
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary = services_->members.AddUser(
      "Globex",
      app::NewMember{.username = "gary", .role = domain::Role::kAdmin, .password = kPassword});
  ASSERT_TRUE(gary.ok()) << gary.status().ToString();
  const auto globex = As("gary");
  for (const std::string& p : {path + "/published", path + "/versions", path + "/acknowledgements",
                               V("/api/v1/document-versions", Body(draft)["id"].get<int64_t>())}) {
    EXPECT_EQ(Get(p, globex)->status, 404) << p;
  }
  EXPECT_EQ(PostAs(globex, path + "/versions")->status, 404);
  EXPECT_EQ(
      PostAs(globex, V("/api/v1/document-versions", Body(draft)["id"].get<int64_t>()) + "/submit",
             Json::object(), Tag(draft))
          ->status,
      404);
  EXPECT_EQ(Body(Get("/api/v1/my/work", globex))["acknowledgements"].size(), 0u);
}

}  // namespace
}  // namespace rampart::testing
