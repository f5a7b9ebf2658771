#include "base/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>

#include "base/formats_module.h"

namespace rampart {

namespace {

constexpr double kA4Short = 595.276;  // points
constexpr double kA4Long = 841.89;
constexpr double kMargin = 40;
constexpr double kHeadSpace = 28;  // the running head above the body
constexpr double kFootSpace = 30;  // the foot below it
constexpr double kCellPad = 3;

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutDeleter>;

struct FontDeleter {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using Font = std::unique_ptr<PangoFontDescription, FontDeleter>;

Font MakeFont(const char* spec) { return Font(pango_font_description_from_string(spec)); }

// Valid UTF-8 for pango (records are, but a report must never abort on a stray byte).
std::string ValidUtf8(const std::string& s) {
  if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return s;
  gchar* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(fixed);
  g_free(fixed);
  return out;
}

cairo_status_t AppendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// One pass over the document: lays it out on pages of a PDF surface writing to `out`.
class Writer {
 public:
  Writer(const ReportDocument& doc, cairo_t* cr, double width, double height, int total_pages)
      : doc_(doc),
        cr_(cr),
        context_(pango_cairo_create_context(cr)),
        width_(width),
        height_(height),
        total_(total_pages) {
    // Font sizes in points of the page (pango's default is 96 dots per inch).
    pango_cairo_context_set_resolution(context_, 72);
  }
  ~Writer() { g_object_unref(context_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  int Run() {
    NewPage();
    TitleBlock();
    for (const auto& b : doc_.blocks) {
      switch (b.kind) {
        case ReportBlock::Kind::kHeading:
          Heading(b);
          break;
        case ReportBlock::Kind::kParagraph:
          Paragraph(b.text);
          break;
        case ReportBlock::Kind::kFields:
          FieldsTable(b.fields);
          break;
        case ReportBlock::Kind::kTable:
          Table(b.table);
          break;
      }
    }
    Foot();
    cairo_show_page(cr_);
    return page_;
  }

 private:
  double Left() const { return kMargin; }
  double BodyWidth() const { return width_ - 2 * kMargin; }
  double Top() const { return kMargin + kHeadSpace; }
  double Bottom() const { return height_ - kMargin - kFootSpace; }

  Layout Text(const std::string& text, const PangoFontDescription* font, double width,
              PangoAlignment align = PANGO_ALIGN_LEFT, double max_height = 0) {
    Layout l(pango_layout_new(context_));
    pango_layout_set_font_description(l.get(), font);
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align);
    if (max_height > 0) {
      pango_layout_set_height(l.get(), static_cast<int>(max_height * PANGO_SCALE));
      pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
    }
    const std::string valid = ValidUtf8(text);
    pango_layout_set_text(l.get(), valid.data(), static_cast<int>(valid.size()));
    return l;
  }
  static double HeightOf(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  void Draw(PangoLayout* l, double x, double y, double grey = 0) {
    cairo_set_source_rgb(cr_, grey, grey, grey);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
  }

  void NewPage() {
    if (page_ > 0) {
      Foot();
      cairo_show_page(cr_);
    }
    ++page_;
    y_ = Top();
    auto title = Text(doc_.control.title, small_.get(), BodyWidth() * 0.6);
    Draw(title.get(), Left(), kMargin, 0.35);
    auto org = Text(doc_.control.organisation, small_.get(), BodyWidth() * 0.4, PANGO_ALIGN_RIGHT);
    Draw(org.get(), Left() + BodyWidth() * 0.6, kMargin, 0.35);
    Rule(kMargin + 14, 0.75);
  }
  void Foot() {
    const double y = height_ - kMargin - 12;
    Rule(y - 4, 0.75);
    const std::string left = fmt::format(
        "{} · Content SHA-256 {}",
        doc_.control.classification.empty() ? "Unclassified" : doc_.control.classification,
        doc_.control.source_sha256.substr(0, 16));
    auto l = Text(left, small_.get(), BodyWidth() * 0.75);
    Draw(l.get(), Left(), y, 0.35);
    const std::string page =
        total_ > 0 ? fmt::format("Page {} of {}", page_, total_) : fmt::format("Page {}", page_);
    auto r = Text(page, small_.get(), BodyWidth() * 0.25, PANGO_ALIGN_RIGHT);
    Draw(r.get(), Left() + BodyWidth() * 0.75, y, 0.35);
  }
  void Rule(double y, double grey) {
    cairo_set_source_rgb(cr_, grey, grey, grey);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, Left(), y);
    cairo_line_to(cr_, Left() + BodyWidth(), y);
    cairo_stroke(cr_);
  }
  // Starts a new page unless `h` more points fit on this one.
  void Ensure(double h) {
    if (y_ + h > Bottom() && y_ > Top()) NewPage();
  }

  void TitleBlock() {
    auto t = Text(doc_.control.title, title_.get(), BodyWidth());
    Draw(t.get(), Left(), y_);
    y_ += HeightOf(t.get()) + 10;
    FieldsTable(DocumentControlRows(doc_.control), /*shaded=*/true);
    y_ += 8;
  }

  void Heading(const ReportBlock& b) {
    auto l = Text(b.text, b.level == 1 ? h1_.get() : h2_.get(), BodyWidth());
    const double h = HeightOf(l.get());
    Ensure(h + 40);  // keep a heading with what follows
    y_ += 6;
    Draw(l.get(), Left(), y_);
    y_ += h + 4;
  }

  void Paragraph(const std::string& text) {
    // Laid out whole, drawn line by line, so that a long text flows over pages.
    auto l = Text(text.empty() ? " " : text, body_.get(), BodyWidth());
    PangoLayoutIter* iter = pango_layout_get_iter(l.get());
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double h = static_cast<double>(logical.height) / PANGO_SCALE;
      const double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
      Ensure(h);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_move_to(cr_, Left(), y_ + baseline);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      y_ += h;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    y_ += 6;
  }

  void FieldsTable(const std::vector<std::pair<std::string, std::string>>& fields,
                   bool shaded = false) {
    ReportTable t;
    t.widths = {0.28, 0.72};
    for (const auto& [k, v] : fields) t.rows.push_back({k, v});
    Grid(t, /*header=*/false, shaded);
    y_ += 6;
  }

  void Table(const ReportTable& t) {
    Grid(t, /*header=*/true, false);
    y_ += 8;
  }

  std::vector<double> Widths(const ReportTable& t) const {
    auto w = ColumnShares(t);
    for (double& x : w) x *= BodyWidth();
    return w;
  }

  // One row: each cell laid out in its column; returns its height (drawn when `draw`).
  double Row(const std::vector<std::string>& cells, const std::vector<double>& w,
             const ReportTable& t, const PangoFontDescription* font, bool draw, double fill,
             bool first_bold) {
    std::vector<Layout> layouts;
    double h = 0;
    const double max_cell = Bottom() - Top() - 40;
    for (size_t c = 0; c < w.size(); ++c) {
      const std::string text = c < cells.size() ? cells[c] : "";
      const bool right = c < t.numeric.size() && t.numeric[c];
      layouts.push_back(Text(text, first_bold && c == 0 ? bold_.get() : font, w[c] - 2 * kCellPad,
                             right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, max_cell));
      h = std::max(h, HeightOf(layouts.back().get()));
    }
    h += 2 * kCellPad;
    if (!draw) return h;
    double x = Left();
    if (fill < 1) {
      cairo_set_source_rgb(cr_, fill, fill, fill);
      cairo_rectangle(cr_, Left(), y_, BodyWidth(), h);
      cairo_fill(cr_);
    }
    cairo_set_source_rgb(cr_, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr_, 0.4);
    for (size_t c = 0; c < w.size(); ++c) {
      cairo_rectangle(cr_, x, y_, w[c], h);
      cairo_stroke(cr_);
      Draw(layouts[c].get(), x + kCellPad, y_ + kCellPad);
      x += w[c];
    }
    return h;
  }

  void Grid(const ReportTable& t, bool header, bool shaded) {
    const auto w = Widths(t);
    if (w.empty()) return;
    auto head = [&] {
      if (!header) return;
      y_ += Row(t.header, w, t, bold_.get(), true, 0.9, false);
    };
    if (header) {
      Ensure(Row(t.header, w, t, bold_.get(), false, 1, false) + 20);
    }
    head();
    if (t.rows.empty() && header) {
      auto l = Text("None.", body_.get(), BodyWidth());
      Draw(l.get(), Left() + kCellPad, y_ + kCellPad, 0.35);
      y_ += HeightOf(l.get()) + 2 * kCellPad;
    }
    for (const auto& row : t.rows) {
      const double h = Row(row, w, t, cell_.get(), false, 1, shaded);
      if (y_ + h > Bottom()) {
        NewPage();
        head();
      }
      y_ += Row(row, w, t, cell_.get(), true, 1, shaded);
    }
  }

  const ReportDocument& doc_;
  cairo_t* cr_;
  PangoContext* context_;
  double width_, height_;
  int total_;
  int page_ = 0;
  double y_ = 0;
  Font title_ = MakeFont("DejaVu Sans Bold 18");
  Font h1_ = MakeFont("DejaVu Sans Bold 14");
  Font h2_ = MakeFont("DejaVu Sans Bold 12");
  Font body_ = MakeFont("DejaVu Sans 10");
  Font cell_ = MakeFont("DejaVu Sans 8.5");
  Font bold_ = MakeFont("DejaVu Sans Bold 8.5");
  Font small_ = MakeFont("DejaVu Sans 7.5");
};

// Lays the document out on a new surface writing to `out`; returns the pages or an error.
Result<int> Render(const ReportDocument& doc, std::string& out, int total_pages) {
  const bool landscape = doc.HasWideTable();
  const double w = landscape ? kA4Long : kA4Short;
  const double h = landscape ? kA4Short : kA4Long;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(AppendTo, &out, w, h);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 ValidUtf8(doc.control.title).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
                                 ValidUtf8(doc.control.organisation).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Rampart");
  cairo_t* cr = cairo_create(surface);
  int pages = 0;
  {
    Writer writer(doc, cr, w, h, total_pages);
    pages = writer.Run();
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Internal(fmt::format("cannot write the PDF: {}", cairo_status_to_string(status)));
  }
  return pages;
}

}  // namespace

Result<std::string> formats::PdfBytes(const ReportDocument& doc) {
  std::string counted;
  ASSIGN_OR_RETURN(const int pages, Render(doc, counted, 0));
  std::string out;
  out.reserve(counted.size() + 1024);
  RETURN_IF_ERROR(Render(doc, out, pages).status());
  return out;
}

}  // namespace rampart
