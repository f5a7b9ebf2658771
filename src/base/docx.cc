#include "base/docx.h"

#include <fmt/format.h>
#include <libxml/xmlwriter.h>

#include <algorithm>
#include <cstdint>
#include <functional>

#include "base/formats_module.h"

namespace rampart {

namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kPkgRels = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr const char* kRelBase =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

// A4 in twentieths of a point, and the margins.
constexpr int kA4Short = 11906;
constexpr int kA4Long = 16838;
constexpr int kMargin = 1000;

// Text XML 1.0 can hold: characters it cannot (C0 controls but tab, line feed and carriage
// return; U+FFFE and U+FFFF) dropped, bytes that are not UTF-8 replaced by U+FFFD.
std::string XmlText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b >= 0x20 || b == '\t' || b == '\n' || b == '\r') out += static_cast<char>(b);
      ++i;
      continue;
    }
    const size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
    uint32_t cp = n == 4 ? b & 0x07u : n == 3 ? b & 0x0Fu : b & 0x1Fu;
    bool valid = n != 0 && i + n <= s.size();
    for (size_t k = 1; valid && k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      valid = (c & 0xC0) == 0x80;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    valid = valid && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) &&
            !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!valid) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (cp != 0xFFFE && cp != 0xFFFF) out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

// libxml2's writer into a memory buffer; the first failure is kept and reported by Finish.
class Xml {
 public:
  Xml() : buf_(xmlBufferCreate()), w_(buf_ ? xmlNewTextWriterMemory(buf_, 0) : nullptr) {
    ok_ = w_ != nullptr && xmlTextWriterStartDocument(w_, "1.0", "UTF-8", "yes") >= 0;
  }
  ~Xml() {
    if (w_ != nullptr) xmlFreeTextWriter(w_);
    if (buf_ != nullptr) xmlBufferFree(buf_);
  }
  Xml(const Xml&) = delete;
  Xml& operator=(const Xml&) = delete;

  Xml& Start(const char* name) {
    Check(xmlTextWriterStartElement(w_, X(name)));
    return *this;
  }
  Xml& Attr(const char* name, const std::string& value) {
    const std::string v = XmlText(value);
    Check(xmlTextWriterWriteAttribute(w_, X(name), X(v.c_str())));
    return *this;
  }
  Xml& Text(const std::string& text) {
    const std::string v = XmlText(text);
    Check(xmlTextWriterWriteString(w_, X(v.c_str())));
    return *this;
  }
  Xml& End() {
    Check(xmlTextWriterEndElement(w_));
    return *this;
  }
  // <name attr="value"/>
  Xml& Empty(const char* name, const char* attr = nullptr, const std::string& value = {}) {
    Start(name);
    if (attr != nullptr) Attr(attr, value);
    return End();
  }
  Result<std::string> Finish(const char* part) {
    if (ok_) ok_ = xmlTextWriterEndDocument(w_) >= 0;
    if (ok_) ok_ = xmlTextWriterFlush(w_) >= 0;
    if (!ok_) return Internal(fmt::format("cannot write the document part {}", part));
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buf_)),
                       static_cast<size_t>(xmlBufferLength(buf_)));
  }

 private:
  static const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
  void Check(int rc) {
    if (rc < 0) ok_ = false;
  }
  xmlBufferPtr buf_;
  xmlTextWriterPtr w_;
  bool ok_ = false;
};

// A run of text; line feeds become line breaks.
void Run(Xml& x, const std::string& text, bool bold = false, int half_points = 0) {
  x.Start("w:r");
  if (bold || half_points > 0) {
    x.Start("w:rPr");
    if (bold) x.Empty("w:b");
    if (half_points > 0) x.Empty("w:sz", "w:val", std::to_string(half_points));
    x.End();
  }
  size_t start = 0;
  for (;;) {
    const size_t end = text.find('\n', start);
    x.Start("w:t").Attr("xml:space", "preserve").Text(text.substr(start, end - start)).End();
    if (end == std::string::npos) break;
    x.Empty("w:br");
    start = end + 1;
  }
  x.End();
}

void Para(Xml& x, const std::string& text, const char* style = nullptr, bool bold = false,
          int half_points = 0, const char* align = nullptr) {
  x.Start("w:p");
  if (style != nullptr || align != nullptr) {
    x.Start("w:pPr");
    if (style != nullptr) x.Empty("w:pStyle", "w:val", style);
    if (align != nullptr) x.Empty("w:jc", "w:val", align);
    x.End();
  }
  Run(x, text, bold, half_points);
  x.End();
}

void Table(Xml& x, const ReportTable& t, int body_width, bool header, bool label_column) {
  const std::vector<double> shares = ColumnShares(t);
  const size_t n = shares.size();
  if (n == 0) return;
  std::vector<int> twips;
  for (double v : shares) twips.push_back(static_cast<int>(v * body_width));

  x.Start("w:tbl");
  x.Start("w:tblPr");
  x.Empty("w:tblStyle", "w:val", "ReportTable");
  x.Start("w:tblW").Attr("w:w", std::to_string(body_width)).Attr("w:type", "dxa").End();
  x.Empty("w:tblLayout", "w:type", "fixed");
  x.End();
  x.Start("w:tblGrid");
  for (int tw : twips) x.Empty("w:gridCol", "w:w", std::to_string(tw));
  x.End();
  auto row = [&](const std::vector<std::string>& cells, bool is_header) {
    x.Start("w:tr");
    if (is_header) {
      x.Start("w:trPr").Empty("w:tblHeader").Empty("w:cantSplit").End();
    } else {
      x.Start("w:trPr").Empty("w:cantSplit").End();
    }
    for (size_t c = 0; c < n; ++c) {
      x.Start("w:tc");
      x.Start("w:tcPr");
      x.Start("w:tcW").Attr("w:w", std::to_string(twips[c])).Attr("w:type", "dxa").End();
      if (is_header) {
        x.Start("w:shd").Attr("w:val", "clear").Attr("w:color", "auto").Attr("w:fill", "E6E6E6");
        x.End();
      }
      x.End();
      const bool right = !is_header && c < t.numeric.size() && t.numeric[c];
      Para(x, c < cells.size() ? cells[c] : "", "TableText", is_header || (label_column && c == 0),
           0, right ? "right" : nullptr);
      x.End();
    }
    x.End();
  };
  if (header) row(t.header, true);
  for (const auto& r : t.rows) row(r, false);
  if (header && t.rows.empty()) row({"None."}, false);
  x.End();
  Para(x, "");
}

Result<std::string> DocumentPart(const ReportDocument& doc) {
  const bool landscape = doc.HasWideTable();
  const int page_w = landscape ? kA4Long : kA4Short;
  const int page_h = landscape ? kA4Short : kA4Long;
  const int body = page_w - 2 * kMargin;
  Xml x;
  x.Start("w:document").Attr("xmlns:w", kW).Attr("xmlns:r", kR);
  x.Start("w:body");
  Para(x, doc.control.title, "Title");
  ReportTable control;
  control.widths = {0.28, 0.72};
  for (const auto& [k, v] : DocumentControlRows(doc.control)) control.rows.push_back({k, v});
  Table(x, control, body, /*header=*/false, /*label_column=*/true);
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
      case ReportBlock::Kind::kHeading:
        Para(x, b.text, b.level == 1 ? "Heading1" : "Heading2");
        break;
      case ReportBlock::Kind::kParagraph:
        Para(x, b.text);
        break;
      case ReportBlock::Kind::kFields: {
        ReportTable t;
        t.widths = {0.28, 0.72};
        for (const auto& [k, v] : b.fields) t.rows.push_back({k, v});
        Table(x, t, body, false, true);
        break;
      }
      case ReportBlock::Kind::kTable:
        Table(x, b.table, body, true, false);
        break;
    }
  }
  x.Start("w:sectPr");
  x.Start("w:headerReference").Attr("w:type", "default").Attr("r:id", "rIdHeader").End();
  x.Start("w:footerReference").Attr("w:type", "default").Attr("r:id", "rIdFooter").End();
  x.Start("w:pgSz").Attr("w:w", std::to_string(page_w)).Attr("w:h", std::to_string(page_h));
  if (landscape) x.Attr("w:orient", "landscape");
  x.End();
  const std::string m = std::to_string(kMargin);
  x.Start("w:pgMar").Attr("w:top", m).Attr("w:right", m).Attr("w:bottom", m).Attr("w:left", m);
  x.Attr("w:header", "500").Attr("w:footer", "500").Attr("w:gutter", "0").End();
  x.End();  // sectPr
  x.End();  // body
  x.End();  // document
  return x.Finish("word/document.xml");
}

// A field ("PAGE", "NUMPAGES") showing `shown` until Word updates it.
void Field(Xml& x, const char* instruction, const char* shown) {
  x.Start("w:fldSimple").Attr("w:instr", instruction);
  Run(x, shown, false, 14);
  x.End();
}

Result<std::string> HeaderPart(const ReportDocument& doc) {
  Xml x;
  x.Start("w:hdr").Attr("xmlns:w", kW).Attr("xmlns:r", kR);
  Para(x, doc.control.title + " — " + doc.control.organisation, "HeaderText");
  x.End();
  return x.Finish("word/header1.xml");
}

Result<std::string> FooterPart(const ReportDocument& doc) {
  Xml x;
  x.Start("w:ftr").Attr("xmlns:w", kW).Attr("xmlns:r", kR);
  x.Start("w:p");
  x.Start("w:pPr").Empty("w:pStyle", "w:val", "HeaderText").End();
  Run(x,
      fmt::format("{} · Content SHA-256 {} · Page ",
                  doc.control.classification.empty() ? "Unclassified" : doc.control.classification,
                  doc.control.source_sha256.substr(0, 16)),
      false, 14);
  Field(x, " PAGE ", "1");
  Run(x, " of ", false, 14);
  Field(x, " NUMPAGES ", "1");
  x.End();
  x.End();
  return x.Finish("word/footer1.xml");
}

Result<std::string> StylesPart() {
  Xml x;
  x.Start("w:styles").Attr("xmlns:w", kW);
  x.Start("w:docDefaults").Start("w:rPrDefault").Start("w:rPr");
  x.Start("w:rFonts").Attr("w:ascii", "DejaVu Sans").Attr("w:hAnsi", "DejaVu Sans");
  x.Attr("w:cs", "DejaVu Sans").End();
  x.Empty("w:sz", "w:val", "19");
  x.End().End().End();
  auto style = [&](const char* id, const char* name, bool bold, int half_points, int after,
                   int outline) {
    x.Start("w:style").Attr("w:type", "paragraph").Attr("w:styleId", id);
    x.Empty("w:name", "w:val", name);
    x.Empty("w:basedOn", "w:val", "Normal");
    x.Empty("w:qFormat");
    x.Start("w:pPr");
    if (outline >= 0) x.Empty("w:keepNext");
    x.Start("w:spacing").Attr("w:before", outline >= 0 ? "200" : "0");
    x.Attr("w:after", std::to_string(after)).End();
    if (outline >= 0) x.Empty("w:outlineLvl", "w:val", std::to_string(outline));
    x.End();
    x.Start("w:rPr");
    if (bold) x.Empty("w:b");
    x.Empty("w:sz", "w:val", std::to_string(half_points));
    x.End();
    x.End();
  };
  x.Start("w:style").Attr("w:type", "paragraph").Attr("w:default", "1").Attr("w:styleId", "Normal");
  x.Empty("w:name", "w:val", "Normal");
  x.Start("w:pPr").Start("w:spacing").Attr("w:after", "80").End().End();
  x.End();
  style("Title", "Title", true, 36, 160, -1);
  style("Heading1", "heading 1", true, 26, 80, 0);
  style("Heading2", "heading 2", true, 22, 60, 1);
  style("TableText", "Table Text", false, 16, 0, -1);
  style("HeaderText", "Header Text", false, 14, 0, -1);
  x.Start("w:style").Attr("w:type", "table").Attr("w:styleId", "ReportTable");
  x.Empty("w:name", "w:val", "Report Table");
  x.Start("w:tblPr").Start("w:tblBorders");
  for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) {
    x.Start(side).Attr("w:val", "single").Attr("w:sz", "4").Attr("w:space", "0");
    x.Attr("w:color", "B3B3B3").End();
  }
  x.End();
  x.Start("w:tblCellMar");
  x.Start("w:left").Attr("w:w", "60").Attr("w:type", "dxa").End();
  x.Start("w:right").Attr("w:w", "60").Attr("w:type", "dxa").End();
  x.End();
  x.End();
  x.End();
  x.End();
  return x.Finish("word/styles.xml");
}

Result<std::string> CorePart(const ReportDocument& doc) {
  Xml x;
  x.Start("cp:coreProperties")
      .Attr("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties")
      .Attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
      .Attr("xmlns:dcterms", "http://purl.org/dc/terms/")
      .Attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  x.Start("dc:title").Text(doc.control.title).End();
  x.Start("dc:creator").Text(doc.control.organisation).End();
  x.Start("cp:version").Text(doc.control.version).End();
  if (!doc.control.generated_at.empty()) {
    x.Start("dcterms:created").Attr("xsi:type", "dcterms:W3CDTF");
    x.Text(doc.control.generated_at).End();
  }
  x.End();
  return x.Finish("docProps/core.xml");
}

Result<std::string> ContentTypesPart() {
  Xml x;
  x.Start("Types").Attr("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
  x.Start("Default").Attr("Extension", "rels");
  x.Attr("ContentType", "application/vnd.openxmlformats-package.relationships+xml").End();
  x.Start("Default").Attr("Extension", "xml").Attr("ContentType", "application/xml").End();
  const std::string wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  auto part = [&](const char* name, const std::string& type) {
    x.Start("Override").Attr("PartName", name).Attr("ContentType", type).End();
  };
  part("/word/document.xml", wml + "document.main+xml");
  part("/word/styles.xml", wml + "styles+xml");
  part("/word/header1.xml", wml + "header+xml");
  part("/word/footer1.xml", wml + "footer+xml");
  part("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
  x.End();
  return x.Finish("[Content_Types].xml");
}

Result<std::string> Relationships(
    const std::vector<std::tuple<std::string, std::string, std::string>>& rels, const char* part) {
  Xml x;
  x.Start("Relationships").Attr("xmlns", kPkgRels);
  for (const auto& [id, type, target] : rels) {
    x.Start("Relationship").Attr("Id", id).Attr("Type", type).Attr("Target", target).End();
  }
  x.End();
  return x.Finish(part);
}

}  // namespace

Result<std::string> formats::DocxBytes(const ReportDocument& doc) {
  std::vector<ZipEntry> parts;
  ASSIGN_OR_RETURN(auto types, ContentTypesPart());
  parts.push_back({"[Content_Types].xml", std::move(types)});
  ASSIGN_OR_RETURN(
      auto rels,
      Relationships({{"rId1", std::string(kRelBase) + "officeDocument", "word/document.xml"},
                     {"rId2",
                      "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                      "core-properties",
                      "docProps/core.xml"}},
                    "_rels/.rels"));
  parts.push_back({"_rels/.rels", std::move(rels)});
  ASSIGN_OR_RETURN(auto doc_rels,
                   Relationships({{"rIdStyles", std::string(kRelBase) + "styles", "styles.xml"},
                                  {"rIdHeader", std::string(kRelBase) + "header", "header1.xml"},
                                  {"rIdFooter", std::string(kRelBase) + "footer", "footer1.xml"}},
                                 "word/_rels/document.xml.rels"));
  parts.push_back({"word/_rels/document.xml.rels", std::move(doc_rels)});
  ASSIGN_OR_RETURN(auto document, DocumentPart(doc));
  parts.push_back({"word/document.xml", std::move(document)});
  ASSIGN_OR_RETURN(auto styles, StylesPart());
  parts.push_back({"word/styles.xml", std::move(styles)});
  ASSIGN_OR_RETURN(auto header, HeaderPart(doc));
  parts.push_back({"word/header1.xml", std::move(header)});
  ASSIGN_OR_RETURN(auto footer, FooterPart(doc));
  parts.push_back({"word/footer1.xml", std::move(footer)});
  ASSIGN_OR_RETURN(auto core, CorePart(doc));
  parts.push_back({"docProps/core.xml", std::move(core)});
  return formats::ZipBytes(parts);
}

}  // namespace rampart
