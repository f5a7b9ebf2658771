#include "base/xlsx.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "support/xlsx_reader.h"

namespace rampart {
namespace {

namespace fs = std::filesystem;

int LeftoverDirectories(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("rampart-xlsx-", 0) == 0) ++n;
  }
  return n;
}

// The writer's temporary directory goes under TMPDIR: a directory of this test's own, so that
// other tests exporting at the same time (parallel CTest) cannot make the count move.
class PrivateTmpdir {
 public:
  PrivateTmpdir() {
    std::string pattern = (fs::temp_directory_path() / "xlsx-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
    const char* old = std::getenv("TMPDIR");
    if (old != nullptr) old_ = old;
    setenv("TMPDIR", dir_.c_str(), 1);
  }
  ~PrivateTmpdir() {
    if (old_) {
      setenv("TMPDIR", old_->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  std::optional<std::string> old_;
};

TEST(XlsxTest, WritesAZipPackageAndLeavesNoFileBehind) {
  PrivateTmpdir tmp;
  ASSERT_FALSE(tmp.dir().empty());
  const int before = LeftoverDirectories(tmp.dir());
  auto bytes = XlsxBytes("Statement", {"Control", "Title"},
                         {{"5.1", "Policies for information security"}, {"=1+1", ""}, {"8.34"}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
  // The package names its worksheet part (compressed, so only the part names are visible); the
  // texts are inline strings, written row by row, so there is no shared-strings part.
  EXPECT_NE(bytes->find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_EQ(bytes->find("xl/sharedStrings.xml"), std::string::npos);
  EXPECT_EQ(LeftoverDirectories(tmp.dir()), before);
  // Read back: every cell as written, the formula as text.
  const auto cells = test::ReadXlsxCells(*bytes);
  ASSERT_TRUE(cells.has_value());
  EXPECT_EQ(
      *cells,
      (std::vector<std::vector<std::string>>{
          {"Control", "Title"}, {"5.1", "Policies for information security"}, {"=1+1"}, {"8.34"}}));
}

TEST(XlsxTest, WritesTheNumbersOfNumericColumnsAsNumberCells) {
  auto bytes = XlsxBytes("Objectives", {"title", "target_value"},
                         {{"Phishing", "95.5"}, {"12", "-3"}, {"Backups", "n/a"}}, {false, true});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const auto cells = test::ReadXlsxCells(*bytes);
  ASSERT_TRUE(cells.has_value());
  EXPECT_EQ(
      *cells,
      (std::vector<std::vector<std::string>>{
          {"title", "target_value"}, {"Phishing", "95.5"}, {"12", "-3"}, {"Backups", "n/a"}}));
  const auto types = test::ReadXlsxCellTypes(*bytes);
  ASSERT_TRUE(types.has_value());
  // A number cell has "n" (no type attribute); "12" is text in a text column.
  EXPECT_EQ((*types)[1], (std::vector<std::string>{"inlineStr", "n"}));
  EXPECT_EQ((*types)[2], (std::vector<std::string>{"inlineStr", "n"}));
  EXPECT_EQ((*types)[3], (std::vector<std::string>{"inlineStr", "inlineStr"}));
}

TEST(XlsxTest, AStreamWritesEveryRowInOrderAndCleansUpUnfinished) {
  PrivateTmpdir tmp;
  ASSERT_FALSE(tmp.dir().empty());
  const int before = LeftoverDirectories(tmp.dir());
  {
    auto stream = XlsxStream::Start("Risks", {"number", "title"}, {true, false}, {{"1", "A"}});
    ASSERT_TRUE(stream.ok()) << stream.status().ToString();
    ASSERT_TRUE((*stream)->Add({"1", "Ransomware"}).ok());
    EXPECT_EQ(LeftoverDirectories(tmp.dir()), before + 1);  // rows go to its file as they come
  }
  EXPECT_EQ(LeftoverDirectories(tmp.dir()), before);  // dropped unfinished: nothing left

  auto stream = XlsxStream::Start("Risks", {"number", "title"}, {true, false});
  ASSERT_TRUE(stream.ok());
  for (int i = 1; i <= 20000; ++i) {
    ASSERT_TRUE((*stream)->Add({std::to_string(i), "Risk " + std::to_string(i)}).ok());
  }
  auto bytes = (*stream)->Finish();
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ((*stream)->Finish().status().code(), Code::kInternal);  // finished once
  EXPECT_EQ((*stream)->Add({"1", "late"}).code(), Code::kInternal);
  const auto cells = test::ReadXlsxCells(*bytes);
  ASSERT_TRUE(cells.has_value());
  ASSERT_EQ(cells->size(), 20001u);
  EXPECT_EQ((*cells)[1], (std::vector<std::string>{"1", "Risk 1"}));
  EXPECT_EQ((*cells)[20000], (std::vector<std::string>{"20000", "Risk 20000"}));
  EXPECT_EQ(XlsxStream::Start("a/b", {"x"}).status().code(), Code::kInvalidArgument);
}

// A text longer than a cell holds (32,767 characters: the SoA's list of risks of a control
// that treats 30,000 of them) is cut with a note, not refused: the export still opens.
TEST(XlsxTest, CutsATextLongerThanACellHoldsAndSaysSo) {
  std::string ids;
  for (int i = 1; ids.size() < 40000; ++i) ids += std::to_string(i) + "; ";
  std::string long_wide;
  for (int i = 0; i < 20000; ++i) long_wide += "é";  // 20,000 chars, 40,000 bytes: fits
  std::string over;
  for (int i = 0; i < 33000; ++i) over += "€";  // 33,000 chars: cut
  auto bytes = XlsxBytes("Statement", {"Control", "Risks"},
                         {{"5.1", ids}, {"5.2", long_wide}, {"5.3", over}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const auto cells = test::ReadXlsxCells(*bytes);
  ASSERT_TRUE(cells.has_value());
  ASSERT_EQ(cells->size(), 4u);
  auto chars = [](const std::string& s) {
    return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
  };
  const std::string& cut = (*cells)[1][1];
  EXPECT_EQ(chars(cut), 32767);
  EXPECT_EQ(cut.substr(0, 12), "1; 2; 3; 4; ");
  EXPECT_NE(cut.find(fmt::format("[cut: the text has {} characters", ids.size())),
            std::string::npos);
  EXPECT_EQ((*cells)[2][1], long_wide);
  const std::string& cut_wide = (*cells)[3][1];
  EXPECT_EQ(chars(cut_wide), 32767);
  const size_t note = cut_wide.find(" … [cut: the text has 33000 characters");
  ASSERT_NE(note, std::string::npos);
  EXPECT_EQ(cut_wide.substr(0, note), over.substr(0, note));  // whole characters, 3 bytes each
  EXPECT_EQ(note % 3, 0u);
}

TEST(XlsxTest, RefusesASheetNameExcelWouldNotOpen) {
  EXPECT_EQ(XlsxBytes("a/b", {"x"}, {}).status().field(), "sheet_name");
  EXPECT_EQ(XlsxBytes("", {"x"}, {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(XlsxBytes(std::string(32, 'x'), {"x"}, {}).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace rampart
