// Pickers that scale (issue 12 B3): a reference or multiple choice is a native select that
// app.js turns into a combobox with chips (data-picker), every option embedded for a small
// register, only the chosen ones for a large register, which the script searches on the server
// through GET /{path}/options.
#include <fmt/format.h>

#include <regex>

#include "api_fixture.h"
#include "base/text.h"

namespace rampart::testing {
namespace {

class Pickers : public SignedInTest {
 protected:
  int64_t CreateAsset(const std::string& name, const std::string& token = {}) {
    auto r = Post("/api/v1/assets", {{"name", name}, {"type", "service"}}, Bearer(token));
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r).value("id", int64_t{0});
  }
  // "Asset 000", "Asset 001", ...: more than a form embeds.
  std::vector<int64_t> CreateAssets(int n) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) ids.push_back(CreateAsset(fmt::format("Asset {:03}", i)));
    return ids;
  }
  int64_t CreateRisk(const Json& assets) {
    auto r = Post("/api/v1/risks", {{"title", "Ransomware"}, {"assets", assets}});
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r).value("id", int64_t{0});
  }
  // The select named `name` in `body`, from its opening tag to its end.
  static std::string Select(const std::string& body, const std::string& name) {
    const auto start = body.find("<select id=\"" + name + "\"");
    if (start == std::string::npos) return "";
    return body.substr(start, body.find("</select>", start) - start);
  }
  static size_t Count(const std::string& text, const std::string& part) {
    size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  }
  static Json Data(const httplib::Result& r) { return Body(r)["data"]; }
};

TEST_F(Pickers, AReferenceIsANativeSelectMarkedForThePickerWithTheChosenOnesSelected) {
  const int64_t mail = CreateAsset("Mail server");
  const int64_t laptops = CreateAsset("Staff <laptops>");
  const int64_t wiki = CreateAsset("Wiki");
  const int64_t risk = CreateRisk(Json::array({mail, wiki}));

  auto page = Page(fmt::format("/risks/{}/edit", risk));
  ASSERT_EQ(page->status, 200) << page->body;
  const std::string assets = Select(page->body, "assets");
  ASSERT_FALSE(assets.empty()) << page->body;
  // Every asset embedded (a small register), the chosen ones selected, titles escaped; the
  // hidden empty value before it still clears the field when nothing is chosen.
  EXPECT_NE(assets.find(" multiple "), std::string::npos) << assets;
  EXPECT_NE(assets.find("data-picker=\"multiple\" data-picker-label=\"Assets\""), std::string::npos)
      << assets;
  EXPECT_EQ(assets.find("data-picker-source"), std::string::npos) << assets;
  EXPECT_NE(assets.find(fmt::format("<option value=\"{}\" selected>Mail server</option>", mail)),
            std::string::npos);
  EXPECT_NE(
      assets.find(fmt::format("<option value=\"{}\">Staff &lt;laptops&gt;</option>", laptops)),
      std::string::npos);
  EXPECT_NE(assets.find(fmt::format("<option value=\"{}\" selected>Wiki</option>", wiki)),
            std::string::npos);
  EXPECT_NE(page->body.find("<input type=\"hidden\" name=\"assets\" value=\"\">"),
            std::string::npos);
  // One reference (the threat) is a single picker; the ratings are labelled selects, not pickers.
  EXPECT_NE(Select(page->body, "threat").find("data-picker=\"single\""), std::string::npos);
  EXPECT_EQ(Select(page->body, "inherent_likelihood").find("data-picker"), std::string::npos);
  EXPECT_NE(Select(page->body, "controls").find("data-picker=\"multiple\""), std::string::npos);

  // The 93 Annex A controls of an applied control: a multiple choice, embedded whole.
  auto control = Page("/controls/new");
  ASSERT_EQ(control->status, 200);
  const std::string annex = Select(control->body, "annex_controls");
  EXPECT_NE(annex.find("data-picker=\"multiple\""), std::string::npos) << annex;
  EXPECT_EQ(Count(annex, "<option "), 93u);
  EXPECT_NE(annex.find("<option value=\"5.1\">5.1 Policies for information security</option>"),
            std::string::npos);
}

TEST_F(Pickers, TheFormPostsTheSameFieldsWithoutTheScript) {
  const int64_t mail = CreateAsset("Mail server");
  const int64_t wiki = CreateAsset("Wiki");
  const int64_t risk = CreateRisk(Json::array({mail}));
  auto saved = Submit(fmt::format("/risks/{}", risk),
                      fmt::format("version=1&title=Ransomware&status=identified&assets=&"
                                  "assets={}&assets={}",
                                  mail, wiki));
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(Body(Get(fmt::format("/api/v1/risks/{}", risk)))["assets"], Json::array({mail, wiki}));
}

TEST_F(Pickers, ALargeRegisterRendersOnlyTheChosenRecordsAndIsSearchedOnTheServer) {
  const std::vector<int64_t> ids = CreateAssets(201);
  const int64_t risk = CreateRisk(Json::array({ids[150], ids[7]}));
  auto page = Page(fmt::format("/risks/{}/edit", risk));
  ASSERT_EQ(page->status, 200) << page->body;
  const std::string assets = Select(page->body, "assets");
  EXPECT_NE(assets.find("data-picker-source=\"/assets/options\""), std::string::npos) << assets;
  EXPECT_EQ(Count(assets, "<option "), 2u) << assets;
  EXPECT_NE(assets.find(fmt::format("<option value=\"{}\" selected>Asset 007</option>", ids[7])),
            std::string::npos)
      << assets;
  EXPECT_NE(assets.find(fmt::format("<option value=\"{}\" selected>Asset 150</option>", ids[150])),
            std::string::npos)
      << assets;
  // A new risk chooses none, so offers none; the threats (a small register) stay embedded.
  auto fresh = Page("/risks/new");
  EXPECT_EQ(Count(Select(fresh->body, "assets"), "<option "), 0u);
  EXPECT_EQ(Select(fresh->body, "threat").find("data-picker-source"), std::string::npos);
  // An asset's own dependencies refer to the same large register.
  auto asset = Page(fmt::format("/assets/{}/edit", ids[0]));
  EXPECT_NE(Select(asset->body, "depends_on").find("data-picker-source=\"/assets/options\""),
            std::string::npos);
}

TEST_F(Pickers, TheOptionsRouteAnswersMatchesByTitleAsJson) {
  CreateAssets(30);
  const int64_t odd = CreateAsset("Mail <server> \"A\"");
  auto r = Page("/assets/options?q=asset%2001");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const Json data = Data(r);
  ASSERT_EQ(data.size(), 10u) << r->body;  // Asset 010 to 019, by title
  EXPECT_EQ(data[0]["title"], "Asset 010");
  EXPECT_EQ(data[9]["title"], "Asset 019");
  EXPECT_TRUE(data[0]["id"].is_number_integer());
  EXPECT_EQ(Body(r)["more"], false);
  // Markup in a title is data in a JSON string.
  auto mail = Page("/assets/options?q=mail");
  ASSERT_EQ(Data(mail).size(), 1u);
  EXPECT_EQ(Data(mail)[0]["id"], odd);
  EXPECT_EQ(Data(mail)[0]["title"], "Mail <server> \"A\"");
  // Short text is searched too (below the index's trigrams), and nothing matching is empty.
  EXPECT_EQ(Data(Page("/assets/options?q=%3C")).size(), 1u);
  EXPECT_EQ(Data(Page("/assets/options?q=nothing+like+this")), Json::array());
}

TEST_F(Pickers, TheOptionsRouteIsBoundedAndRefusesABadLimitClearly) {
  CreateAssets(60);
  // Without q: the first by title, 20 unless asked, never more than 50.
  auto first = Page("/assets/options?q=");
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(Data(first).size(), 20u);
  EXPECT_EQ(Data(first)[0]["title"], "Asset 000");
  EXPECT_EQ(Body(first)["more"], true);
  EXPECT_EQ(Data(Page("/assets/options")).size(), 20u);
  EXPECT_EQ(Data(Page("/assets/options?limit=5")).size(), 5u);
  auto capped = Page("/assets/options?limit=500");
  ASSERT_EQ(capped->status, 200);
  EXPECT_EQ(Data(capped).size(), 50u);
  EXPECT_EQ(Body(capped)["more"], true);
  for (const std::string bad : {"0", "-1", "abc", "5x", "", "99999999999999999999"}) {
    auto r = Page("/assets/options?limit=" + bad);
    ASSERT_EQ(r->status, 400) << bad;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    EXPECT_EQ(Error(r), "invalid_argument/limit") << r->body;
    EXPECT_EQ(Body(r)["error"]["message"], "limit must be a whole number from 1 to 50");
  }
  EXPECT_EQ(Error(Page("/assets/options?q=" + std::string(201, 'a'))), "invalid_argument/q");
  // 200 characters are counted as characters, not bytes: 150 accented letters are 300 bytes.
  std::string accented;
  for (int i = 0; i < 150; ++i) accented += "%C3%A9";
  EXPECT_EQ(Page("/assets/options?q=" + accented)->status, 200);
  EXPECT_EQ(Error(Page("/assets/options?q=a%00b")), "invalid_argument/q");
}

TEST_F(Pickers, TheOptionsRouteNeverShowsAnotherOrganisationsRecords) {
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  ASSERT_TRUE(services_->members
                  .AddUser("Globex", app::NewMember{.username = "gary",
                                                    .role = domain::Role::kAdmin,
                                                    .password = "another private passphrase"})
                  .ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  CreateAsset("Globex secret vault", *token);
  CreateAsset("Acme vault");
  const Json found = Data(Page("/assets/options?q=vault"));
  ASSERT_EQ(found.size(), 1u) << found;
  EXPECT_EQ(found[0]["title"], "Acme vault");
  EXPECT_EQ(Data(Page("/assets/options?q=globex")), Json::array());
  EXPECT_EQ(Data(Page("/assets/options")).size(), 1u);
}

TEST_F(Pickers, TheOptionsRouteNeedsASignedInReader) {
  CreateAsset("Mail server");
  auto anonymous = Client().Get("/assets/options?q=mail");
  EXPECT_NE(anonymous->status, 200);
  EXPECT_EQ(anonymous->body.find("Mail server"), std::string::npos);
  auto added = services_->members.AddUser("", app::NewMember{.username = "vera",
                                                             .role = domain::Role::kViewer,
                                                             .password = "a viewer passphrase"});
  ASSERT_TRUE(added.ok());
  const Session viewer = SignIn("vera", "a viewer passphrase");
  auto r = Client().Get("/assets/options?q=mail", {{"Cookie", viewer.cookie}});
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Data(r).size(), 1u);
}

TEST_F(Pickers, TheOptionsRouteReadsInOneStatementWhateverTheLimit) {
  CreateAssets(60);
  auto statements = [&](const std::string& query) {
    const uint64_t before = store_->StatementCount();
    auto r = Page("/assets/options?" + query);
    EXPECT_EQ(r->status, 200) << r->body;
    return store_->StatementCount() - before;
  };
  statements("");  // the session's first use may be recorded
  const uint64_t small = statements("limit=5");
  EXPECT_EQ(statements("limit=50"), small);
  EXPECT_EQ(statements("limit=50&q=asset"), small);
  EXPECT_EQ(statements("q=as"), small);  // below the trigram index: a scan, still one statement
  EXPECT_LE(small, 2u);                  // the session and the search
}

}  // namespace
}  // namespace rampart::testing
