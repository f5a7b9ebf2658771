#include "domain/documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "domain/access.h"
#include "domain/annex_a.h"

namespace rampart::domain {
namespace {

FieldSpec ReadOnly(FieldSpec f) {
  f.read_only = true;
  return f;
}

std::vector<Choice> DocumentTypes() {
  return {{"isms_policy", "Information security policy"},
          {"topic_policy", "Topic-specific policy"},
          {"procedure", "Procedure"},
          {"plan", "Plan"},
          {"standard", "Standard"},
          {"record_template", "Record template"},
          {"other", "Other"}};
}

std::vector<Choice> ClauseChoices() {
  std::vector<Choice> out;
  for (const auto& c : IsoClauses()) out.push_back({c.id, c.id + " " + c.title});
  return out;
}

std::vector<Choice> AnnexControlChoices() {
  std::vector<Choice> out;
  for (const auto& c : AnnexAControls()) out.push_back({c.id, c.id + " " + c.title});
  return out;
}

std::vector<Choice> VersionStates() {
  return {{std::string(kDocDraft), "Draft"},
          {std::string(kDocInReview), "In review"},
          {std::string(kDocApproved), "Approved"},
          {std::string(kDocPublished), "Published"},
          {std::string(kDocRetired), "Retired"}};
}

// A controlled document: what it is and who it is for. Its text is in its versions.
RegisterSpec MakeDocuments() {
  RegisterSpec s{.type = "document",
                 .table = "documents",
                 .path = "documents",
                 .singular = "Document",
                 .plural = "Documents",
                 .clause = "7.5",
                 .title_field = "title"};
  FieldSpec series{.name = "series",
                   .label = "Series",
                   .type = FieldType::kEnum,
                   .choices = {{"POL", "Policies"},
                               {"PRO", "Procedures"},
                               {"PLN", "Plans"},
                               {"STD", "Standards"},
                               {"TPL", "Record templates"},
                               {"DOC", "Other documents"}},
                   .help =
                       "Set from the type when the document is created; its number is "
                       "counted within the series.",
                   .filterable = true};
  series.read_only = true;
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  number.sequence_within = "series";
  s.fields = {
      series,
      number,
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "type",
       .label = "Type",
       .type = FieldType::kEnum,
       .required = true,
       .choices = DocumentTypes(),
       .help = "Policies are approved by top management.",
       .filterable = true,
       .sortable = true},
      OwnerField(),
      {.name = "classification",
       .label = "Classification",
       .type = FieldType::kEnum,
       .choices = {{"public", "Public"},
                   {"internal", "Internal"},
                   {"confidential", "Confidential"},
                   {"restricted", "Restricted"}},
       .filterable = true,
       .default_value = "internal"},
      ClausesField("The clauses of ISO/IEC 27001 the document serves."),
      AnnexControlsField("The Annex A controls the document serves."),
      {.name = "review_months",
       .label = "Review every (months)",
       .type = FieldType::kInteger,
       .help = "Publishing a version sets the next review this many months on.",
       .default_value = 12,
       .min_value = 1,
       .max_value = 60},
      NextReviewField(),
      {.name = "retention",
       .label = "Retention",
       .help = "How long retired versions are kept (\"7 years after retirement\")."},
      ReadOnly({.name = "status",
                .label = "Status",
                .type = FieldType::kEnum,
                .choices = {{"unpublished", "Not published"},
                            {"published", "Published"},
                            {"retired", "Retired"}},
                .filterable = true,
                .sortable = true,
                .default_value = "unpublished"}),
      ReadOnly(
          {.name = "published_version", .label = "Published version", .type = FieldType::kInteger}),
      ReadOnly({.name = "published_on",
                .label = "Published on",
                .type = FieldType::kDate,
                .sortable = true}),
      ReadOnly({.name = "approved_by", .label = "Approved by", .type = FieldType::kUser}),
      ReadOnly({.name = "latest_version", .label = "Latest version", .type = FieldType::kInteger}),
      ReadOnly({.name = "draft_version",
                .label = "Version in preparation",
                .type = FieldType::kInteger,
                .help = "The version being drafted, reviewed or awaiting publication."}),
  };
  // Who it is distributed to, before its status.
  const auto distribution = AudienceFields(
      "distribution", "Distribution",
      "People asked to acknowledge each published version, besides those with the roles above.");
  s.fields.insert(std::find_if(s.fields.begin(), s.fields.end(),
                               [](const FieldSpec& f) { return f.name == "status"; }),
                  distribution.begin(), distribution.end());
  s.list_columns = {"number",     "title", "type", "owner", "status", "published_version",
                    "next_review"};
  s.default_sort = "title";
  return s;
}

// One version of a document's text. Written only by the document use cases.
RegisterSpec MakeDocumentVersions() {
  RegisterSpec s{.type = "document_version",
                 .table = "document_versions",
                 .path = "document-versions",
                 .singular = "Document version",
                 .plural = "Document versions",
                 .clause = "7.5",
                 .title_field = "title"};
  s.fields = {
      {.name = "document",
       .label = "Document",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "document"},
      ReadOnly({.name = "title", .label = "Title", .max_length = 300, .searchable = true}),
      ReadOnly({.name = "version_number",
                .label = "Version",
                .type = FieldType::kInteger,
                .sortable = true}),
      {.name = "body",
       .label = "Text",
       .type = FieldType::kLongText,
       .max_length = 200000,
       .help = "Markdown (CommonMark, with tables). HTML is not rendered."},
      {.name = "change_summary",
       .label = "What changed",
       .type = FieldType::kLongText,
       .max_length = 2000},
      ReadOnly({.name = "status",
                .label = "Status",
                .type = FieldType::kEnum,
                .choices = VersionStates(),
                .filterable = true,
                .sortable = true,
                .default_value = std::string(kDocDraft)}),
      ReadOnly({.name = "submitted_by", .label = "Submitted by", .type = FieldType::kUser}),
      ReadOnly({.name = "approved_by", .label = "Approved by", .type = FieldType::kUser}),
      ReadOnly({.name = "approved_at", .label = "Approved at"}),
      ReadOnly({.name = "content_hash", .label = "Approved content (SHA-256)", .max_length = 64}),
      ReadOnly({.name = "published_by", .label = "Published by", .type = FieldType::kUser}),
      ReadOnly({.name = "published_at", .label = "Published at", .sortable = true}),
      ReadOnly({.name = "retired_at", .label = "Retired at"}),
  };
  s.list_columns = {"title", "version_number", "status", "approved_by", "published_at"};
  s.default_sort = "-version_number";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {},
                          .editable_in = {std::string(kDocDraft)},
                          .closed = {std::string(kDocRetired)}};
  s.workflow_only = true;
  return s;
}

// A person asked to read a published version, and when they acknowledged it.
RegisterSpec MakeDocumentAcknowledgements() {
  RegisterSpec s{.type = "document_acknowledgement",
                 .table = "document_acknowledgements",
                 .path = "document-acknowledgements",
                 .singular = "Acknowledgement",
                 .plural = "Acknowledgements",
                 .clause = "7.5",
                 .title_field = "title"};
  s.fields = {
      {.name = "document",
       .label = "Document",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "document"},
      {.name = "document_version",
       .label = "Version",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "document_version"},
      {.name = "title", .label = "Title", .max_length = 300, .searchable = true},
      {.name = "person",
       .label = "Person",
       .type = FieldType::kUser,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"pending", "Waiting"}, {"acknowledged", "Acknowledged"}},
       .filterable = true,
       .sortable = true,
       .default_value = "pending"},
      {.name = "requested_at", .label = "Asked at", .sortable = true},
      {.name = "acknowledged_at", .label = "Acknowledged at", .sortable = true},
  };
  s.list_columns = {"title", "person", "status", "requested_at", "acknowledged_at"};
  s.default_sort = "-requested_at";
  s.workflow_only = true;
  return s;
}

}  // namespace

FieldSpec ClausesField(std::string help) {
  return {.name = "clauses",
          .label = "Clauses",
          .type = FieldType::kList,
          .choices = ClauseChoices(),
          .help = std::move(help)};
}

FieldSpec AnnexControlsField(std::string help) {
  return {.name = "annex_controls",
          .label = "Annex A controls",
          .type = FieldType::kList,
          .choices = AnnexControlChoices(),
          .help = std::move(help)};
}

const RegisterSpec& Documents() {
  static const RegisterSpec kSpec = MakeDocuments();
  return kSpec;
}
const RegisterSpec& DocumentVersions() {
  static const RegisterSpec kSpec = MakeDocumentVersions();
  return kSpec;
}
const RegisterSpec& DocumentAcknowledgements() {
  static const RegisterSpec kSpec = MakeDocumentAcknowledgements();
  return kSpec;
}

std::string DocumentSeries(std::string_view type) {
  if (type == "isms_policy" || type == "topic_policy") return "POL";
  if (type == "procedure") return "PRO";
  if (type == "plan") return "PLN";
  if (type == "standard") return "STD";
  if (type == "record_template") return "TPL";
  return "DOC";
}

std::string DocumentReference(const Json& d) {
  const std::string text = SequenceText(*Documents().Field("number"), d);
  return text.empty() ? DocumentSeries(d.value("type", std::string())) : text;
}

bool NeedsTopManagement(std::string_view type) {
  return type == "isms_policy" || type == "topic_policy";
}

std::string ApprovedContent(const Json& d, const Json& v) {
  // The controlled fields of the document and the version's own, as canonical JSON (keys
  // sorted by nlohmann's ordered map, numbers as written).
  Json content = Json::object();
  for (const char* name : {"series", "number", "title", "type", "classification", "clauses",
                           "annex_controls", "review_months", "retention", "distribution_roles",
                           "distribution_isms_roles", "distribution_people"}) {
    content["document"][name] = d.value(name, Json());
  }
  for (const char* name : {"document", "version_number", "body", "change_summary"}) {
    content["version"][name] = v.value(name, Json());
  }
  return content.dump();
}

std::vector<LineChange> DiffLines(std::string_view from, std::string_view to) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> lines;
    while (!s.empty()) {
      const size_t nl = s.find('\n');
      std::string_view line = s.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines.push_back(line);
      if (nl == std::string_view::npos) break;
      s.remove_prefix(nl + 1);
    }
    return lines;
  };
  const auto a = split(from);
  const auto b = split(to);
  std::vector<LineChange> out;
  // The common head and tail need no table.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  for (size_t i = 0; i < head; ++i) out.push_back({LineChange::Kind::kSame, std::string(a[i])});
  const size_t n = a.size() - head - tail;
  const size_t m = b.size() - head - tail;
  auto removed = [&](size_t i) {
    out.push_back({LineChange::Kind::kRemoved, std::string(a[head + i])});
  };
  auto added = [&](size_t j) {
    out.push_back({LineChange::Kind::kAdded, std::string(b[head + j])});
  };
  // A longest common subsequence of the middle; beyond 4 million cells (two versions rewritten
  // through thousands of lines), the middle is shown removed and added whole.
  if (n > 0 && m > 0 && n * m <= 4'000'000) {
    std::vector<uint32_t> len((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return len[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0;
    size_t j = 0;
    while (i < n && j < m) {
      if (a[head + i] == b[head + j]) {
        out.push_back({LineChange::Kind::kSame, std::string(a[head + i])});
        ++i;
        ++j;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        removed(i++);
      } else {
        added(j++);
      }
    }
    while (i < n) removed(i++);
    while (j < m) added(j++);
  } else {
    for (size_t i = 0; i < n; ++i) removed(i);
    for (size_t j = 0; j < m; ++j) added(j);
  }
  for (size_t i = a.size() - tail; i < a.size(); ++i) {
    out.push_back({LineChange::Kind::kSame, std::string(a[i])});
  }
  return out;
}

}  // namespace rampart::domain
