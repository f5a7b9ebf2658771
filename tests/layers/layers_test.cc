// The layering of DESIGN.md, kept by a test: every #include of every file under src/ is checked
// against what its layer may include. Layers may include their own headers and those of the
// layers to their left (base <- domain <- store <- app <- {http, cli} <- main); http and cli
// name no store header (what they need of the store comes through app); the libraries behind a
// layer are included only by its sources, never by a header other layers read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace rampart::testing {
namespace {

namespace fs = std::filesystem;

// The project directories a file of each place may include from ("base/text.h" is "base").
const std::map<std::string, std::set<std::string>>& ProjectRules() {
  static const std::map<std::string, std::set<std::string>> rules = {
      {"base", {"base"}},
      {"domain", {"base", "domain"}},
      {"store", {"base", "domain", "store"}},
      {"app", {"base", "domain", "store", "app"}},
      {"http", {"base", "domain", "app", "http"}},
      {"cli", {"base", "domain", "app", "http", "cli"}},
      {"main.cc", {"base", "cli"}},
      {"make_schema.cc", {"base", "domain", "store"}},
  };
  return rules;
}

// System headers that belong to one part: the prefix of the header, and the paths (relative to
// src/, by prefix) whose files may include it.
struct LibraryRule {
  std::string header;
  std::vector<std::string> allowed;
};
const std::vector<LibraryRule>& LibraryRules() {
  static const std::vector<LibraryRule> rules = {
      {"sodium.h", {"base/crypto.cc"}},
      {"openssl/", {"base/crypto.cc", "base/totp.cc", "base/file_digest.cc"}},
      {"qrencode.h", {"base/qr.cc"}},
      {"magic.h", {"base/sniff.cc"}},
      {"xlsxwriter.h", {"base/xlsx.cc"}},
      {"cmark-gfm", {"base/markdown.cc"}},
      {"cairo", {"base/pdf.cc"}},
      {"pango/", {"base/pdf.cc"}},
      {"glib.h", {"base/pdf.cc"}},
      {"zip.h", {"base/zip.cc", "base/sheet_reader.cc"}},
      {"libxml/", {"base/docx.cc", "base/sheet_reader.cc"}},
      {"curl/", {"base/smtp_send.cc"}},
      {"dlfcn.h", {"base/formats.cc", "store/postgres/"}},
      {"sqlite3.h", {"store/sqlite/"}},
      {"libpq-fe.h", {"store/postgres/"}},
      {"boost/", {"http/"}},
      {"prometheus/", {"http/metrics.cc"}},
      {"CLI/", {"cli/"}},
  };
  return rules;
}

// The place of a path relative to src/: its first directory, or the file at the top.
std::string PlaceOf(const std::string& relative) {
  const size_t slash = relative.find('/');
  return slash == std::string::npos ? relative : relative.substr(0, slash);
}

// What is wrong with the includes of `text`, the content of src/`relative`: one line each.
std::vector<std::string> Violations(const std::string& relative, const std::string& text) {
  std::vector<std::string> out;
  const auto rules = ProjectRules().find(PlaceOf(relative));
  if (rules == ProjectRules().end()) {
    out.push_back(relative + ": not in any layer of DESIGN.md");
    return out;
  }
  static const std::regex include(R"re(^\s*#\s*include\s*([<"])([^>"]+)[>"])re");
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::smatch m;
    if (!std::regex_search(line, m, include)) continue;
    const std::string header = m[2];
    const std::string where = relative + ":" + std::to_string(number) + ": " + header;
    if (m[1] == "\"") {
      const size_t slash = header.find('/');
      const std::string dir = slash == std::string::npos ? "" : header.substr(0, slash);
      if (rules->second.count(dir) == 0) {
        out.push_back(where + ": " + PlaceOf(relative) + " may not include from \"" + dir + "\"");
      }
      continue;
    }
    for (const auto& lib : LibraryRules()) {
      if (header.rfind(lib.header, 0) != 0) continue;
      bool allowed = false;
      for (const auto& a : lib.allowed) allowed = allowed || relative.rfind(a, 0) == 0;
      if (!allowed) out.push_back(where + ": this library is private to its layer's sources");
    }
  }
  return out;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Layers, TheRulesCatchWhatTheyForbid) {
  using ::testing::ElementsAre;
  using ::testing::HasSubstr;
  EXPECT_THAT(Violations("http/web/x.cc", "#include \"store/store.h\"\n"),
              ElementsAre(HasSubstr("x.cc:1: store/store.h: http may not include from \"store\"")));
  EXPECT_THAT(Violations("domain/x.h", "int a;\n#include \"app/services.h\"\n"),
              ElementsAre(HasSubstr("x.h:2")));
  EXPECT_THAT(Violations("base/crypto.h", "#include <sodium.h>\n"),
              ElementsAre(HasSubstr("private to its layer's sources")));
  EXPECT_THAT(Violations("app/x.cc", "#include <sqlite3.h>\n"), ElementsAre(HasSubstr("x.cc:1")));
  EXPECT_THAT(Violations("tools/x.cc", ""), ElementsAre(HasSubstr("not in any layer")));
  EXPECT_THAT(Violations("app/x.cc",
                         "#include <string>\n#include \"store/store.h\"\n#include \"app/y.h\"\n"),
              ::testing::IsEmpty());
  EXPECT_THAT(Violations("base/crypto.cc", "#include <sodium.h>\n"), ::testing::IsEmpty());
}

TEST(Layers, EveryIncludeOfTheSourcesKeepsToItsLayer) {
  const fs::path src = fs::path(RAMPART_SOURCE_DIR) / "src";
  ASSERT_TRUE(fs::is_directory(src)) << src;
  size_t files = 0;
  std::vector<std::string> all;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cc" && ext != ".h")) continue;
    ++files;
    const std::string relative = fs::relative(entry.path(), src).generic_string();
    for (auto& v : Violations(relative, Read(entry.path()))) all.push_back(std::move(v));
  }
  EXPECT_GT(files, 100u);  // the sources were found
  EXPECT_THAT(all, ::testing::IsEmpty());
}

}  // namespace
}  // namespace rampart::testing
