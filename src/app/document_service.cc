#include "app/document_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "app/access_control.h"
#include "app/leadership_service.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/documents.h"
#include "domain/leadership.h"
#include "domain/registers.h"
#include "domain/support.h"

namespace rampart::app {

using domain::Json;
using domain::Record;
using domain::RegisterSpec;
using store::Mutation;

namespace {

const RegisterSpec& Docs() { return domain::Documents(); }
const RegisterSpec& VersionsSpec() { return domain::DocumentVersions(); }
const RegisterSpec& Acks() { return domain::DocumentAcknowledgements(); }

std::string State(const Record& r) { return r.fields.value("status", std::string()); }

std::string VersionTitle(const Json& document, int64_t number) {
  return fmt::format("{} {} — version {}", domain::DocumentReference(document),
                     document.value("title", std::string()), number);
}

std::string Label(std::string_view state) {
  const auto* f = VersionsSpec().Field("status");
  return ToLower(f->ChoiceLabel(state));
}

}  // namespace

Status DocumentService::OnDocumentWrite(const Principal&, Json& fields, const Json* before,
                                        std::vector<domain::FieldError>&) {
  // The series is fixed when the document is created: its number never changes.
  fields["series"] = before != nullptr
                         ? (*before)["series"]
                         : Json(domain::DocumentSeries(fields["type"].get<std::string>()));
  return Status::Ok();
}

Status DocumentService::CheckPolicies(const Principal& p, Json& fields, const Json* before,
                                      std::vector<domain::FieldError>& errors) {
  const Json& ids = fields["policies"];
  if (!ids.is_array() || ids.empty()) return Status::Ok();
  if (before != nullptr && (*before).value("policies", Json()) == ids) return Status::Ok();
  domain::ListQuery q{.filters = {{"id", ids}},
                      .limit = static_cast<int>(std::min<size_t>(ids.size(), 500))};
  ASSIGN_OR_RETURN(auto page, store_.List(Docs(), p.org_id, q));
  for (const auto& d : page.records) {
    if (!domain::NeedsTopManagement(d.fields["type"].get<std::string>())) {
      errors.push_back(
          {"policies", fmt::format("{} {} is not a policy", domain::DocumentReference(d.fields),
                                   d.fields["title"].get<std::string>())});
    }
  }
  return Status::Ok();
}

Result<Record> DocumentService::NewDraft(const Principal& p, int64_t document_id,
                                         int64_t from_version_id) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "documents"));
  ASSIGN_OR_RETURN(Record doc, registers_.Get(p, Docs(), document_id));
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, Docs(), &doc.fields, nullptr));
  if (doc.fields["status"] == "retired") {
    return FailedPrecondition(fmt::format("{} is retired: it gets no new versions",
                                          domain::DocumentReference(doc.fields)));
  }
  if (doc.fields["draft_version"].is_number_integer()) {
    return FailedPrecondition(fmt::format(
        "version {} of {} is in preparation already: finish or publish it first",
        doc.fields["draft_version"].get<int64_t>(), domain::DocumentReference(doc.fields)));
  }
  Json body;
  if (from_version_id != 0) {
    ASSIGN_OR_RETURN(Record from, registers_.Get(p, VersionsSpec(), from_version_id));
    if (from.fields["document"] != doc.id) {
      return InvalidArgument(
          fmt::format("version {} is not a version of this document", from_version_id), "from");
    }
    body = from.fields["body"];
  } else {
    domain::ListQuery q{.filters = {{"document", doc.id}},
                        .sort = "version_number",
                        .descending = true,
                        .limit = 20};
    ASSIGN_OR_RETURN(auto page, store_.List(VersionsSpec(), p.org_id, q));
    for (const auto& v : page.records) {
      if (State(v) == domain::kDocPublished) {
        body = v.fields["body"];
        break;
      }
    }
    if (body.is_null() && !page.records.empty()) body = page.records.front().fields["body"];
  }
  const int64_t number = doc.fields.value("latest_version", Json(0)).is_number_integer()
                             ? doc.fields["latest_version"].get<int64_t>() + 1
                             : 1;
  Json version = {{"document", doc.id},        {"title", VersionTitle(doc.fields, number)},
                  {"version_number", number},  {"body", body},
                  {"change_summary", nullptr}, {"status", std::string(domain::kDocDraft)}};
  for (const auto& f : VersionsSpec().fields) {
    if (!version.contains(f.name)) version[f.name] = nullptr;
  }
  Json after = doc.fields;
  after["latest_version"] = number;
  after["draft_version"] = number;
  std::vector<Mutation> mutations = {{.kind = Mutation::Kind::kInsert,
                                      .spec = &VersionsSpec(),
                                      .fields = version,
                                      .action = "create",
                                      .diff = domain::DiffFields(VersionsSpec(), Json(), version)},
                                     UpdateOf(Docs(), doc, after, "new-draft")};
  ASSIGN_OR_RETURN(auto written, store_.Write(registers_.ActorFor(p), mutations));
  return written.front();
}

Result<Record> DocumentService::EditDraft(const Principal& p, int64_t version_id,
                                          std::optional<int64_t> expected_version,
                                          const Json& input,
                                          std::vector<domain::FieldError>* errors_out) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "documents"));
  ASSIGN_OR_RETURN(Record v, VersionForStep(p, version_id, expected_version));
  ASSIGN_OR_RETURN(Record doc, store_.Get(Docs(), p.org_id, v.fields["document"].get<int64_t>()));
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, Docs(), &doc.fields, nullptr));
  if (State(v) != domain::kDocDraft) {
    return FailedPrecondition(fmt::format("version {} is {}: only a draft is edited",
                                          v.fields["version_number"].get<int64_t>(),
                                          Label(State(v))));
  }
  if (!input.is_object()) return InvalidArgument("send a JSON object of the fields to change");
  std::vector<domain::FieldError> errors;
  Json merged = v.fields;
  for (const auto& [key, value] : input.items()) {
    if (key == "body" || key == "change_summary") {
      merged[key] = value;
    } else if (!domain::IsSystemField(key)) {
      errors.push_back({key, "a draft's editor changes only body and change_summary"});
    }
  }
  Json fields =
      domain::ValidateFields(VersionsSpec(), merged, domain::WriteMode::kUpdate, &v.fields, errors);
  if (!errors.empty()) {
    if (errors_out != nullptr) *errors_out = errors;
    return FirstError(errors);
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(registers_.ActorFor(p),
                                              {UpdateOf(VersionsSpec(), v, fields, "update")}));
  return written.front();
}

Result<Record> DocumentService::VersionForStep(const Principal& p, int64_t version_id,
                                               std::optional<int64_t> expected_version) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(Record v, store_.Get(VersionsSpec(), p.org_id, version_id));
  RETURN_IF_ERROR(CheckVersionSeen(v, expected_version, "document version"));
  return v;
}

const char* DocumentService::StepName(Step step) {
  switch (step) {
    case Step::kSubmit:
      return "submit";
    case Step::kReturn:
      return "return";
    case Step::kApprove:
      return "approve";
    case Step::kPublish:
      return "publish";
  }
  return "";
}

Result<bool> DocumentService::IsTopManagement(const Principal& p) {
  if (p.role == domain::Role::kExecutive) return true;
  // A holder of an active ISMS role marked top management (one list of such roles).
  domain::ListQuery q{.filters = {{"top_management", true}, {"status", "active"}}, .limit = 500};
  ASSIGN_OR_RETURN(auto page, store_.List(domain::IsmsRoles(), p.org_id, q));
  for (const auto& role : page.records) {
    const Json& holders = role.fields["holders"];
    if (!holders.is_array()) continue;
    for (const auto& h : holders) {
      if (h.value("person", Json()) == p.user_id) return true;
    }
  }
  return false;
}

Status DocumentService::CheckMayApprove(const Principal& p, const Record& doc, const Record& v) {
  const std::string type = doc.fields.value("type", std::string());
  if (domain::NeedsTopManagement(type)) {
    ASSIGN_OR_RETURN(bool top, IsTopManagement(p));
    if (!top) {
      return PermissionDenied(
          "a policy is approved by top management: an executive, or a holder of an ISMS role "
          "marked top management");
    }
  } else if (!p.Can(domain::Permission::kApprove) && p.role != domain::Role::kIsmsManager) {
    return PermissionDenied(
        "approving a document takes an executive, an administrator or the ISMS manager");
  }
  if (v.fields["submitted_by"] == p.user_id) {
    return PermissionDenied("the person who submitted a version for review cannot approve it");
  }
  return Status::Ok();
}

Status DocumentService::MayAdvance(const Principal& p, const Record& doc, const Record& v,
                                   Step step) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "documents"));
  const std::string state = State(v);
  auto wrong_state = [&](std::string_view needed) {
    return FailedPrecondition(fmt::format("version {} is {}: only a version {} can be {}",
                                          v.fields["version_number"].get<int64_t>(), Label(state),
                                          needed,
                                          step == Step::kSubmit    ? "submitted for review"
                                          : step == Step::kReturn  ? "returned to draft"
                                          : step == Step::kApprove ? "approved"
                                                                   : "published"));
  };
  switch (step) {
    case Step::kSubmit:
      if (state != domain::kDocDraft) return wrong_state("in draft");
      return RegisterService::CheckCanWrite(p, Docs(), &doc.fields, nullptr);
    case Step::kReturn:
      if (state != domain::kDocInReview && state != domain::kDocApproved) {
        return wrong_state("in review or approved");
      }
      if (RegisterService::CheckCanWrite(p, Docs(), &doc.fields, nullptr).ok()) {
        return Status::Ok();
      }
      return CheckMayApprove(p, doc, v);
    case Step::kApprove:
      if (state != domain::kDocInReview) return wrong_state("in review");
      return CheckMayApprove(p, doc, v);
    case Step::kPublish:
      if (state != domain::kDocApproved) return wrong_state("approved");
      if (!p.Can(domain::Permission::kEditRecords) && !p.Can(domain::Permission::kApprove)) {
        return PermissionDenied(
            "publishing a document takes the ISMS manager, an administrator or an executive");
      }
      return Status::Ok();
  }
  return Status::Ok();
}

Result<std::vector<int64_t>> ResolveAudience(store::Store& store, int64_t org_id, const Json& roles,
                                             const Json& isms_roles, const Json& people) {
  std::set<int64_t> chosen;
  std::set<std::string> role_names;
  if (roles.is_array()) {
    for (const auto& r : roles) role_names.insert(r.get<std::string>());
  }
  ASSIGN_OR_RETURN(auto members, store.ListMembers(org_id));
  std::set<int64_t> active;
  for (const auto& m : members) {
    if (m.disabled) continue;
    active.insert(m.id);
    if (role_names.contains(m.role)) chosen.insert(m.id);
  }
  if (isms_roles.is_array() && !isms_roles.empty()) {
    ASSIGN_OR_RETURN(auto page, store.List(domain::IsmsRoles(), org_id,
                                           {.filters = {{"id", isms_roles}}, .limit = 500}));
    for (const auto& role : page.records) {
      if (!role.fields["holders"].is_array()) continue;
      for (const auto& h : role.fields["holders"]) {
        if (h.value("person", Json()).is_number_integer())
          chosen.insert(h["person"].get<int64_t>());
      }
    }
  }
  if (people.is_array()) {
    for (const auto& row : people) {
      if (row.value("person", Json()).is_number_integer()) {
        chosen.insert(row["person"].get<int64_t>());
      }
    }
  }
  std::vector<int64_t> out;
  for (int64_t id : chosen) {
    if (active.contains(id)) out.push_back(id);  // former members are not asked
  }
  return out;
}

Result<std::vector<int64_t>> DocumentService::Distribution(const Principal& p, const Json& doc) {
  return ResolveAudience(store_, p.org_id, doc.value("distribution_roles", Json()),
                         doc.value("distribution_isms_roles", Json()),
                         doc.value("distribution_people", Json()));
}

Result<Record> DocumentService::Advance(const Principal& p, int64_t version_id,
                                        std::optional<int64_t> expected_version, Step step) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "documents"));
  ASSIGN_OR_RETURN(Record v, VersionForStep(p, version_id, expected_version));
  ASSIGN_OR_RETURN(Record doc, store_.Get(Docs(), p.org_id, v.fields["document"].get<int64_t>()));
  RETURN_IF_ERROR(MayAdvance(p, doc, v, step));
  const store::Actor actor = registers_.ActorFor(p);
  Json after = v.fields;
  std::vector<Mutation> mutations;
  switch (step) {
    case Step::kSubmit:
      if (!v.fields["body"].is_string() || Trim(v.fields["body"].get<std::string>()).empty()) {
        return InvalidArgument("write the document's text before submitting it for review", "body");
      }
      after["status"] = std::string(domain::kDocInReview);
      after["submitted_by"] = p.user_id;
      break;
    case Step::kReturn:
      after["status"] = std::string(domain::kDocDraft);
      after["approved_by"] = nullptr;
      after["approved_at"] = nullptr;
      after["content_hash"] = nullptr;
      break;
    case Step::kApprove:
      after["status"] = std::string(domain::kDocApproved);
      after["approved_by"] = p.user_id;
      after["approved_at"] = actor.now;
      after["content_hash"] = Sha256Hex(domain::ApprovedContent(doc.fields, v.fields));
      // Top management's approval of a policy is a commitment (5.1), logged with it.
      if (domain::NeedsTopManagement(doc.fields.value("type", std::string()))) {
        mutations.push_back(CommitmentInsert(
            "policy_approval",
            fmt::format("Approved version {} of {} \"{}\"",
                        v.fields["version_number"].get<int64_t>(),
                        domain::DocumentReference(doc.fields),
                        doc.fields["title"].is_string() ? doc.fields["title"].get<std::string>()
                                                        : std::string()),
            p.user_id, actor.now.substr(0, 10), VersionsSpec().type, v.id));
      }
      break;
    case Step::kPublish: {
      // What was approved is what is published: the document's controlled fields (type,
      // distribution, ...) must not have changed since.
      if (after["content_hash"] != Sha256Hex(domain::ApprovedContent(doc.fields, v.fields))) {
        return FailedPrecondition(fmt::format(
            "{} changed after version {} was approved (its type, classification, "
            "clauses, controls, retention or distribution): return the version to "
            "draft and have it approved again",
            domain::DocumentReference(doc.fields), v.fields["version_number"].get<int64_t>()));
      }
      after["status"] = std::string(domain::kDocPublished);
      after["published_by"] = p.user_id;
      after["published_at"] = actor.now;
      domain::ListQuery q{.filters = {{"document", doc.id}, {"status", "published"}}, .limit = 5};
      ASSIGN_OR_RETURN(auto live, store_.List(VersionsSpec(), p.org_id, q));
      for (const auto& old : live.records) {
        Json retired = old.fields;
        retired["status"] = std::string(domain::kDocRetired);
        retired["retired_at"] = actor.now;
        mutations.push_back(UpdateOf(VersionsSpec(), old, retired, "retire"));
      }
      // The document names its published version, and its next review starts from today.
      Json d = doc.fields;
      const std::string today = actor.now.substr(0, 10);
      d["status"] = "published";
      d["published_version"] = v.fields["version_number"];
      d["published_on"] = today;
      d["approved_by"] = v.fields["approved_by"];
      d["draft_version"] = nullptr;
      const int months = d.value("review_months", Json(12)).is_number_integer()
                             ? d["review_months"].get<int>()
                             : 12;
      d["next_review"] = AddMonths(today, months);
      ASSIGN_OR_RETURN(auto people, Distribution(p, doc.fields));
      for (int64_t person : people) {
        Json ack = {{"document", doc.id},         {"document_version", v.id},
                    {"title", v.fields["title"]}, {"person", person},
                    {"status", "pending"},        {"requested_at", actor.now},
                    {"acknowledged_at", nullptr}};
        mutations.push_back({.kind = Mutation::Kind::kInsert,
                             .spec = &Acks(),
                             .fields = ack,
                             .action = "request",
                             .diff = domain::DiffFields(Acks(), Json(), ack)});
      }
      mutations.push_back(UpdateOf(Docs(), doc, d, "publish"));
      break;
    }
  }
  mutations.insert(mutations.begin(), UpdateOf(VersionsSpec(), v, after, StepName(step)));
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written.front();
}

Result<Record> DocumentService::Retire(const Principal& p, int64_t document_id,
                                       std::optional<int64_t> expected_version) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "documents"));
  ASSIGN_OR_RETURN(Record doc, registers_.Get(p, Docs(), document_id));
  RETURN_IF_ERROR(Require(p, domain::Permission::kEditRecords));
  RETURN_IF_ERROR(CheckVersionSeen(doc, expected_version, "document"));
  if (doc.fields["status"] == "retired") {
    return FailedPrecondition(
        fmt::format("{} is retired already", domain::DocumentReference(doc.fields)));
  }
  const store::Actor actor = registers_.ActorFor(p);
  std::vector<Mutation> mutations;
  domain::ListQuery q{.filters = {{"document", doc.id}}, .limit = 500};
  ASSIGN_OR_RETURN(auto versions, store_.List(VersionsSpec(), p.org_id, q));
  for (const auto& v : versions.records) {
    if (State(v) == domain::kDocRetired) continue;
    Json retired = v.fields;
    retired["status"] = std::string(domain::kDocRetired);
    retired["retired_at"] = actor.now;
    mutations.push_back(UpdateOf(VersionsSpec(), v, retired, "retire"));
  }
  Json d = doc.fields;
  d["status"] = "retired";
  d["draft_version"] = nullptr;
  mutations.insert(mutations.begin(), UpdateOf(Docs(), doc, d, "retire"));
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written.front();
}

Result<Record> DocumentService::Acknowledge(const Principal& p, int64_t ack_id) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "documents"));
  ASSIGN_OR_RETURN(Record ack, store_.Get(Acks(), p.org_id, ack_id));
  if (ack.fields["person"] != p.user_id) {
    // Another person's request is not the caller's to see.
    return NotFound(fmt::format("you have no acknowledgement {}", ack_id));
  }
  if (ack.fields["status"] != "pending") {
    return FailedPrecondition("you have acknowledged this version already");
  }
  ASSIGN_OR_RETURN(Record v, store_.Get(VersionsSpec(), p.org_id,
                                        ack.fields["document_version"].get<int64_t>()));
  if (State(v) != domain::kDocPublished) {
    return FailedPrecondition(
        "this version is no longer published; acknowledge the one published now");
  }
  Json after = ack.fields;
  after["status"] = "acknowledged";
  const store::Actor actor = registers_.ActorFor(p);
  after["acknowledged_at"] = actor.now;
  ASSIGN_OR_RETURN(auto written,
                   store_.Write(actor, {UpdateOf(Acks(), ack, after, "acknowledge")}));
  return written.front();
}

Result<std::vector<PublishedDocument>> DocumentService::MyDocuments(const Principal& p) {
  // What the caller was asked to read: their acknowledgements, newest first; one document each.
  domain::ListQuery q{
      .filters = {{"person", p.user_id}}, .sort = "requested_at", .descending = true, .limit = 500};
  ASSIGN_OR_RETURN(auto acks, store_.List(Acks(), p.org_id, q));
  std::vector<int64_t> doc_ids;
  std::map<int64_t, Record> latest_ack;  // by document
  for (const auto& a : acks.records) {
    const int64_t d = a.fields["document"].get<int64_t>();
    if (latest_ack.contains(d)) continue;
    latest_ack.emplace(d, a);
    doc_ids.push_back(d);
  }
  std::vector<PublishedDocument> out;
  if (doc_ids.empty()) return out;
  ASSIGN_OR_RETURN(
      auto docs, store_.List(Docs(), p.org_id, {.filters = {{"id", Json(doc_ids)}}, .limit = 500}));
  ASSIGN_OR_RETURN(auto live,
                   store_.List(VersionsSpec(), p.org_id,
                               {.filters = {{"document", Json(doc_ids)}, {"status", "published"}},
                                .limit = 500}));
  std::map<int64_t, Record> version_of;
  for (auto& v : live.records) version_of.emplace(v.fields["document"].get<int64_t>(), v);
  for (auto& d : docs.records) {
    auto v = version_of.find(d.id);
    if (v == version_of.end()) continue;  // retired since
    PublishedDocument pd{.document = d, .version = v->second};
    const Record& a = latest_ack.at(d.id);
    if (a.fields["document_version"] == v->second.id) pd.acknowledgement = a;
    out.push_back(std::move(pd));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.document.fields.value("title", std::string()) <
           b.document.fields.value("title", std::string());
  });
  return out;
}

Result<PublishedDocument> DocumentService::Published(const Principal& p, int64_t document_id) {
  auto hidden = [&] { return NotFound(fmt::format("document {} not found", document_id)); };
  ASSIGN_OR_RETURN(Record doc, store_.Get(Docs(), p.org_id, document_id));
  std::optional<Record> own;
  domain::ListQuery mine{.filters = {{"document", doc.id}, {"person", p.user_id}},
                         .sort = "requested_at",
                         .descending = true,
                         .limit = 1};
  ASSIGN_OR_RETURN(auto acks, store_.List(Acks(), p.org_id, mine));
  if (!acks.records.empty()) own = acks.records.front();
  if (!p.Can(domain::Permission::kReadRecords) && !own) {
    // The material of an awareness campaign the person was asked to complete is theirs to read.
    domain::ListQuery asked{.filters = {{"material", doc.id}, {"person", p.user_id}}, .limit = 1};
    ASSIGN_OR_RETURN(auto awareness, store_.List(domain::AwarenessCompletions(), p.org_id, asked));
    if (awareness.records.empty()) return hidden();
  }
  domain::ListQuery q{.filters = {{"document", doc.id}, {"status", "published"}}, .limit = 1};
  ASSIGN_OR_RETURN(auto live, store_.List(VersionsSpec(), p.org_id, q));
  if (live.records.empty()) {
    if (!p.Can(domain::Permission::kReadRecords)) return hidden();
    return NotFound(
        fmt::format("{} has no published version", domain::DocumentReference(doc.fields)));
  }
  PublishedDocument out{.document = std::move(doc), .version = std::move(live.records.front())};
  if (own && own->fields["document_version"] == out.version.id) out.acknowledgement = own;
  return out;
}

Result<AcknowledgementSummary> DocumentService::Acknowledgements(const Principal& p,
                                                                 int64_t document_id) {
  ASSIGN_OR_RETURN(Record doc, registers_.Get(p, Docs(), document_id));
  AcknowledgementSummary out;
  domain::ListQuery q{.filters = {{"document", doc.id}, {"status", "published"}}, .limit = 1};
  ASSIGN_OR_RETURN(auto live, store_.List(VersionsSpec(), p.org_id, q));
  if (live.records.empty()) return out;
  const Record& v = live.records.front();
  out.version_id = v.id;
  out.version_number = v.fields["version_number"].get<int64_t>();
  domain::ListQuery of_version{.filters = {{"document_version", v.id}}};
  ASSIGN_OR_RETURN(auto counts, store_.CountBy(Acks(), p.org_id, of_version, {"status"}));
  for (const auto& c : counts) {
    out.asked += c.count;
    if (c.values.front() == "acknowledged") out.acknowledged += c.count;
  }
  domain::ListQuery waiting{.filters = {{"document_version", v.id}, {"status", "pending"}},
                            .sort = "person",
                            .limit = kWaitingShown};
  ASSIGN_OR_RETURN(auto page, store_.List(Acks(), p.org_id, waiting));
  out.waiting = std::move(page.records);
  return out;
}

Result<std::vector<Record>> DocumentService::Versions(const Principal& p, int64_t document_id) {
  ASSIGN_OR_RETURN(Record doc, registers_.Get(p, Docs(), document_id));
  domain::ListQuery q{.filters = {{"document", doc.id}},
                      .sort = "version_number",
                      .descending = true,
                      .limit = 500};
  ASSIGN_OR_RETURN(auto page, store_.List(VersionsSpec(), p.org_id, q));
  return std::move(page.records);
}

Result<VersionChanges> DocumentService::Compare(const Principal& p, int64_t from_id,
                                                int64_t to_id) {
  VersionChanges out;
  auto from = registers_.Get(p, VersionsSpec(), from_id);
  if (!from.ok()) return Status(from.status().code(), from.status().message(), "from");
  auto to = registers_.Get(p, VersionsSpec(), to_id);
  if (!to.ok()) return Status(to.status().code(), to.status().message(), "to");
  if (from->fields["document"] != to->fields["document"]) {
    return InvalidArgument("the two versions are of different documents", "to");
  }
  for (auto& c : domain::CompareVersions(VersionsSpec(), from->fields, to->fields)) {
    if (c.field->name != "body") out.fields.push_back(std::move(c));
  }
  out.text = domain::DiffLines(
      from->fields.value("body", Json("")).is_string() ? from->fields["body"].get<std::string>()
                                                       : std::string(),
      to->fields.value("body", Json("")).is_string() ? to->fields["body"].get<std::string>()
                                                     : std::string());
  out.from = std::move(*from);
  out.to = std::move(*to);
  return out;
}

Result<MyWork> DocumentService::Work(const Principal& p) {
  MyWork out;
  domain::ListQuery mine{.filters = {{"person", p.user_id}, {"status", "pending"}},
                         .sort = "requested_at",
                         .limit = kMyWorkLimit};
  ASSIGN_OR_RETURN(auto acks, store_.List(Acks(), p.org_id, mine));
  out.acknowledgements = std::move(acks.records);
  if (!p.Can(domain::Permission::kReadRecords)) return out;  // staff: only what is theirs
  // Versions in review this person may approve (their documents: one list).
  domain::ListQuery review{.filters = {{"status", std::string(domain::kDocInReview)}},
                           .limit = kMyWorkLimit};
  ASSIGN_OR_RETURN(auto in_review, store_.List(VersionsSpec(), p.org_id, review));
  if (!in_review.records.empty()) {
    std::vector<int64_t> ids;
    for (const auto& v : in_review.records) ids.push_back(v.fields["document"].get<int64_t>());
    ASSIGN_OR_RETURN(auto docs,
                     store_.List(Docs(), p.org_id, {.filters = {{"id", Json(ids)}}, .limit = 500}));
    std::map<int64_t, const Record*> by_id;
    for (const auto& d : docs.records) by_id[d.id] = &d;
    for (auto& v : in_review.records) {
      auto d = by_id.find(v.fields["document"].get<int64_t>());
      if (d != by_id.end() && CheckMayApprove(p, *d->second, v).ok()) {
        out.approvals.push_back(std::move(v));
      }
    }
  }
  // Records the person owns whose review is due: one list per register with an owner and a
  // next review, in review order, read until the first review after today.
  const std::string today = FormatDate(clock_.Now());
  for (const auto* spec : domain::AllRegisters()) {
    if (spec->Field("owner") == nullptr || spec->Field("next_review") == nullptr) continue;
    domain::ListQuery q{
        .filters = {{"owner", p.user_id}}, .sort = "next_review", .limit = kMyWorkLimit};
    ASSIGN_OR_RETURN(auto page, store_.List(*spec, p.org_id, q));
    for (auto& r : page.records) {
      const Json& next = r.fields["next_review"];
      if (!next.is_string()) continue;
      if (next.get<std::string>() > today) break;
      if (spec->lifecycle) {
        const std::string state = r.fields.value(spec->lifecycle->field, std::string());
        const auto& closed = spec->lifecycle->closed;
        if (std::find(closed.begin(), closed.end(), state) != closed.end()) continue;
      }
      out.reviews.push_back({spec, std::move(r)});
    }
  }
  return out;
}

}  // namespace rampart::app
