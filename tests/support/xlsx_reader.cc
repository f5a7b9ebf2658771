#include "support/xlsx_reader.h"

#include <zlib.h>

#include <cstdint>
#include <map>

#include "base/text.h"

namespace rampart::test {
namespace {

uint32_t Le(std::string_view b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The package's parts by name, inflated.
std::optional<std::map<std::string, std::string>> Unzip(std::string_view z) {
  if (z.size() < 22) return std::nullopt;
  size_t end = z.size() - 22;
  while (Le(z, end, 4) != 0x06054b50) {
    if (end == 0) return std::nullopt;
    --end;
  }
  const uint32_t count = Le(z, end + 10, 2);
  size_t at = Le(z, end + 16, 4);
  std::map<std::string, std::string> parts;
  for (uint32_t i = 0; i < count; ++i) {
    if (at + 46 > z.size() || Le(z, at, 4) != 0x02014b50) return std::nullopt;
    const uint32_t method = Le(z, at + 10, 2);
    const uint32_t packed = Le(z, at + 20, 4);
    const uint32_t size = Le(z, at + 24, 4);
    const uint32_t name_len = Le(z, at + 28, 2);
    const size_t next = at + 46 + name_len + Le(z, at + 30, 2) + Le(z, at + 32, 2);
    const std::string name(z.substr(at + 46, name_len));
    const size_t local = Le(z, at + 42, 4);
    if (local + 30 > z.size() || Le(z, local, 4) != 0x04034b50) return std::nullopt;
    const size_t data = local + 30 + Le(z, local + 26, 2) + Le(z, local + 28, 2);
    if (data + packed > z.size()) return std::nullopt;
    std::string out(size, '\0');
    if (method == 0) {
      out = std::string(z.substr(data, packed));
    } else if (method == 8) {
      z_stream s{};
      if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return std::nullopt;
      s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data() + data));
      s.avail_in = packed;
      s.next_out = reinterpret_cast<Bytef*>(out.data());
      s.avail_out = size;
      const int rc = inflate(&s, Z_FINISH);
      inflateEnd(&s);
      if (rc != Z_STREAM_END) return std::nullopt;
    } else {
      return std::nullopt;
    }
    parts[name] = std::move(out);
    at = next;
  }
  return parts;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s.substr(i);
      break;
    }
    const std::string_view e = s.substr(i + 1, semi - i - 1);
    if (e == "amp") out += '&';
    if (e == "lt") out += '<';
    if (e == "gt") out += '>';
    if (e == "quot") out += '"';
    if (e == "apos") out += '\'';
    if (!e.empty() && e[0] == '#') {
      const bool hex = e.size() > 1 && (e[1] == 'x' || e[1] == 'X');
      const unsigned long cp =
          std::stoul(std::string(e.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10);
      AppendUtf8(out, static_cast<uint32_t>(cp));
    }
    i = semi;
  }
  return out;
}

// The texts of the <t> elements in `xml`, joined.
std::string Texts(std::string_view xml) {
  std::string out;
  size_t at = 0;
  while ((at = xml.find("<t", at)) != std::string_view::npos) {
    const size_t open_end = xml.find('>', at);
    if (open_end == std::string_view::npos) break;
    if (xml[at + 2] != '>' && xml[at + 2] != ' ') {  // <tag...> that is not <t>
      at = open_end;
      continue;
    }
    if (xml[open_end - 1] == '/') {  // <t/>
      at = open_end;
      continue;
    }
    const size_t close = xml.find("</t>", open_end);
    if (close == std::string_view::npos) break;
    out += Unescape(xml.substr(open_end + 1, close - open_end - 1));
    at = close + 4;
  }
  return out;
}

std::string Attribute(std::string_view tag, std::string_view name) {
  const std::string key = " " + std::string(name) + "=\"";
  const size_t at = tag.find(key);
  if (at == std::string_view::npos) return "";
  const size_t end = tag.find('"', at + key.size());
  return std::string(tag.substr(at + key.size(), end - at - key.size()));
}

enum class Read { kValues, kTypes };

std::optional<std::vector<std::vector<std::string>>> ReadCells(std::string_view bytes, Read what) {
  auto parts = Unzip(bytes);
  if (!parts || parts->count("xl/worksheets/sheet1.xml") == 0) return std::nullopt;
  std::vector<std::string> shared;
  const std::string& strings = (*parts)["xl/sharedStrings.xml"];
  for (size_t at = 0; (at = strings.find("<si>", at)) != std::string::npos;) {
    const size_t end = strings.find("</si>", at);
    if (end == std::string::npos) return std::nullopt;
    shared.push_back(Texts(std::string_view(strings).substr(at, end - at)));
    at = end;
  }
  const std::string& sheet = (*parts)["xl/worksheets/sheet1.xml"];
  std::vector<std::vector<std::string>> rows;
  for (size_t at = 0; (at = sheet.find("<c ", at)) != std::string::npos;) {
    const size_t tag_end = sheet.find('>', at);
    if (tag_end == std::string::npos) return std::nullopt;
    const std::string_view tag = std::string_view(sheet).substr(at, tag_end - at + 1);
    const std::string ref = Attribute(tag, "r");
    size_t col = 0, i = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i)
      col = col * 26 + (ref[i] - 'A' + 1);
    if (i == 0 || i == ref.size()) return std::nullopt;
    const size_t row = std::stoul(ref.substr(i));
    std::string value;
    const bool empty = tag[tag.size() - 2] == '/';
    const size_t end = empty ? tag_end : sheet.find("</c>", tag_end);
    if (end == std::string::npos) return std::nullopt;
    if (!empty) {
      const std::string_view inner = std::string_view(sheet).substr(tag_end + 1, end - tag_end - 1);
      const std::string type = Attribute(tag, "t");
      const size_t v = inner.find("<v>");
      if (what == Read::kTypes) {
        value = type.empty() ? "n" : type;
      } else if (type == "s" && v != std::string_view::npos) {
        const size_t n = std::stoul(std::string(inner.substr(v + 3, inner.find("</v>") - v - 3)));
        if (n >= shared.size()) return std::nullopt;
        value = shared[n];
      } else if (type == "inlineStr") {
        value = Texts(inner);
      } else if (v != std::string_view::npos) {
        value = Unescape(inner.substr(v + 3, inner.find("</v>") - v - 3));
      }
    }
    if (rows.size() < row) rows.resize(row);
    if (rows[row - 1].size() < col) rows[row - 1].resize(col);
    rows[row - 1][col - 1] = std::move(value);
    at = end;
  }
  return rows;
}

}  // namespace

std::optional<std::vector<std::vector<std::string>>> ReadXlsxCells(std::string_view bytes) {
  return ReadCells(bytes, Read::kValues);
}

std::optional<std::vector<std::vector<std::string>>> ReadXlsxCellTypes(std::string_view bytes) {
  return ReadCells(bytes, Read::kTypes);
}

}  // namespace rampart::test
