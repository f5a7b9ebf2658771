#include "app/framework_service.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "app/version_service.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/context.h"
#include "domain/improvement.h"
#include "domain/leadership.h"
#include "domain/oscal.h"
#include "domain/oscal_export.h"
#include "domain/risk.h"
#include "domain/tasks.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {

using Kind = store::Mutation::Kind;

// A parser's refusal restated for the upload part it came from: "file: controls[12].id: ..."
// (the document's root, "catalog" or "profile", is not named: "file: the document is not JSON").
Status AsUploadError(const Status& s, std::string_view part) {
  const bool root = s.field().empty() || s.field() == "catalog" || s.field() == "profile";
  const std::string where = root ? "" : s.field() + ": ";
  return Status(s.code(), fmt::format("{}: {}{}", part, where, s.message()), std::string(part));
}

bool NotThisModel(const Status& s, std::string_view root) {
  return s.code() == Code::kInvalidArgument && s.field() == root &&
         s.message().find("has no \"") != std::string::npos;
}

Json Nullable(const std::string& s) { return s.empty() ? Json() : Json(s); }

store::Mutation DeletionOf(const domain::RegisterSpec& spec, const Record& rec) {
  return {.kind = Kind::kDelete,
          .spec = &spec,
          .id = rec.id,
          .expected_version = rec.version,
          .fields = rec.fields,
          .action = "delete",
          .diff = domain::DiffFields(spec, rec.fields, Json())};
}

std::string TextOf(const Json& fields, const char* name) {
  const auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string NameOf(const Json& user, const std::vector<domain::UserSummary>& members) {
  if (!user.is_number_integer()) return "";
  for (const auto& m : members) {
    if (m.id == user.get<int64_t>()) return m.display_name.empty() ? m.username : m.display_name;
  }
  return "";
}

// The file names the API gives the documents, by which they refer to each other.
constexpr char kCatalogFile[] = "rampart-catalog.json";
constexpr char kProfileFile[] = "rampart-profile.json";
constexpr char kSspFile[] = "rampart-ssp.json";

// An imported framework's fields held to the register's rules, as a person's input is: the
// fields people may write validated (and normalised) by ValidateFields, the ones only an import
// writes (read-only) within their length. `where` names the place in the file.
Result<Json> Checked(const domain::RegisterSpec& spec, const Json& imported,
                     const std::string& where) {
  Json input = Json::object();
  for (const auto& f : spec.fields) {
    if (!f.read_only && imported.contains(f.name)) input[f.name] = imported[f.name];
  }
  std::vector<domain::FieldError> errors;
  Json fields = domain::ValidateFields(spec, input, domain::WriteMode::kCreate, nullptr, errors);
  if (!errors.empty()) {
    return InvalidArgument(
        fmt::format("file: {}{}: {}", where, errors.front().field, errors.front().message), "file");
  }
  for (const auto& f : spec.fields) {
    if (!f.read_only || !imported.contains(f.name)) continue;
    const Json& v = imported[f.name];
    if (v.is_string() && f.max_length > 0 && Utf8Length(v.get<std::string>()) > f.max_length) {
      return InvalidArgument(fmt::format("file: {}{}: longer than {} characters", where,
                                         ToLower(f.label), f.max_length),
                             "file");
    }
    fields[f.name] = v;
  }
  return fields;
}

}  // namespace

Status FrameworkService::CheckMayChange(const Principal& p) {
  RETURN_IF_ERROR(CheckMayTakeStep(p, "frameworks"));
  return Require(p, domain::Permission::kEditRecords);
}

Result<Record> FrameworkService::Write(const Principal& p, Json imported,
                                       const std::vector<Json>& controls) {
  const auto& frameworks = domain::Frameworks();
  const auto& spec = domain::FrameworkControls();
  imported["control_count"] = static_cast<int64_t>(controls.size());
  ASSIGN_OR_RETURN(Json fields, Checked(frameworks, imported, ""));
  std::vector<store::Mutation> mutations;
  mutations.reserve(controls.size() + 1);
  mutations.push_back({.kind = Kind::kInsert,
                       .spec = &frameworks,
                       .fields = fields,
                       .action = "create",
                       .diff = domain::DiffFields(frameworks, Json(), fields)});
  for (size_t i = 0; i < controls.size(); ++i) {
    // The framework's id is filled in by the write (ids_of); 1 stands for it meanwhile.
    Json with_framework = controls[i];
    with_framework["framework"] = 1;
    ASSIGN_OR_RETURN(Json c,
                     Checked(spec, with_framework,
                             fmt::format("control {} ({}): ", i + 1,
                                         controls[i].value("control_id", Json("")).dump())));
    c["framework"] = nullptr;
    mutations.push_back({.kind = Kind::kInsert,
                         .spec = &spec,
                         .fields = c,
                         .action = "create",
                         .diff = domain::DiffFields(spec, Json(), c),
                         .ids_of = {{"framework", 0}}});
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(registers_.ActorFor(p), mutations));
  return std::move(written.front());
}

Result<Record> FrameworkService::Import(const Principal& p, const FrameworkUpload& upload) {
  RETURN_IF_ERROR(CheckMayChange(p));
  if (upload.file.empty()) {
    return InvalidArgument("choose an OSCAL catalog or profile (JSON) to import", "file");
  }
  domain::OscalCatalog catalog;
  Json fields = {{"file_sha256", Sha256Hex(upload.file)}};
  auto parsed = domain::ParseOscalCatalog(upload.file);
  if (parsed.ok()) {
    catalog = std::move(parsed).value();
    fields["source"] = std::string(domain::kFrameworkFromCatalog);
    if (!upload.catalog.empty()) {
      return InvalidArgument(
          "the file is a catalog: a catalog is imported on its own (the second file is for a "
          "profile's catalog)",
          "catalog");
    }
  } else if (!NotThisModel(parsed.status(), "catalog")) {
    return AsUploadError(parsed.status(), "file");
  } else {
    auto profile = domain::ParseOscalProfile(upload.file);
    if (!profile.ok()) {
      if (NotThisModel(profile.status(), "profile")) {
        return InvalidArgument(
            "file: not an OSCAL catalog or profile: the JSON has neither a \"catalog\" nor a "
            "\"profile\" object (OSCAL 1.1 JSON is expected; XML and YAML are not read)",
            "file");
      }
      return AsUploadError(profile.status(), "file");
    }
    if (upload.catalog.empty()) {
      return InvalidArgument(
          "the file is a profile: add the catalog it imports, against which it is resolved",
          "catalog");
    }
    auto imported = domain::ParseOscalCatalog(upload.catalog);
    if (!imported.ok()) return AsUploadError(imported.status(), "catalog");
    auto resolved = domain::ResolveOscalProfile(*profile, *imported);
    if (!resolved.ok()) return AsUploadError(resolved.status(), "file");
    catalog = std::move(resolved).value();
    fields["source"] = std::string(domain::kFrameworkFromProfile);
    fields["catalog"] = Nullable(imported->title);
  }
  if (catalog.controls.empty()) {
    return InvalidArgument("file: the framework has no controls: nothing to import", "file");
  }
  // Where it came from, beside the file's SHA-256: the name it was uploaded under (without its
  // folders; left out when it is not short, valid text).
  const size_t folder = upload.file_name.find_last_of("/\\");
  const std::string name =
      folder == std::string::npos ? upload.file_name : upload.file_name.substr(folder + 1);
  const long name_length = Utf8Length(name);
  if (name_length > 0 && name_length <= 200 && name.find_first_of("\r\n") == std::string::npos) {
    fields["description"] = fmt::format("Imported from {}.", name);
  }
  fields["title"] = catalog.title;
  fields["edition"] = Nullable(catalog.version);
  fields["oscal_uuid"] = Nullable(catalog.uuid);
  fields["oscal_version"] = Nullable(catalog.oscal_version);
  std::vector<Json> controls;
  controls.reserve(catalog.controls.size());
  for (size_t i = 0; i < catalog.controls.size(); ++i) {
    controls.push_back(
        domain::FrameworkControlFields(catalog.controls[i], static_cast<int64_t>(i + 1)));
  }
  return Write(p, std::move(fields), controls);
}

Result<Record> FrameworkService::AddBuiltIn(const Principal& p, std::string_view key) {
  RETURN_IF_ERROR(CheckMayChange(p));
  if (key != domain::kIso27001_2013) {
    return InvalidArgument(fmt::format("there is no built-in framework \"{}\" (the one there is: "
                                       "{})",
                                       key, domain::kIso27001_2013),
                           "built_in");
  }
  domain::ListQuery q{.filters = {{.field = "built_in", .value = std::string(key)}}, .limit = 1};
  ASSIGN_OR_RETURN(auto existing, store_.List(domain::Frameworks(), p.org_id, q));
  if (!existing.records.empty()) {
    return Status(Code::kAlreadyExists,
                  fmt::format("ISO/IEC 27001:2013 Annex A is framework {} already",
                              existing.records.front().id),
                  "built_in");
  }
  std::vector<Json> controls;
  int64_t position = 0;
  for (const auto& c : domain::Iso27001_2013Controls()) {
    domain::OscalControl oc{.id = "A." + c.id,
                            .title = c.title,
                            .label = "A." + c.id,
                            .group_id = c.group.substr(0, c.group.find(' ')),
                            .group_title = c.group};
    Json f = domain::FrameworkControlFields(oc, ++position);
    f["annex_controls"] = c.annex_2022;
    controls.push_back(std::move(f));
  }
  std::string new_ones;
  for (const auto& id : domain::Iso27001_2022NewControls()) {
    new_ones += (new_ones.empty() ? "" : ", ") + id;
  }
  Json fields = {
      {"title", "ISO/IEC 27001:2013 Annex A"},
      {"source", std::string(domain::kFrameworkBuiltIn)},
      {"built_in", std::string(key)},
      {"edition", "2013"},
      {"description",
       fmt::format("The {} controls of the 2013 edition, each mapped to the 2022 controls it "
                   "became (shipped with Rampart). New in 2022, with no 2013 predecessor: {}.",
                   domain::Iso27001_2013Controls().size(), new_ones)}};
  return Write(p, std::move(fields), controls);
}

Status FrameworkService::Delete(const Principal& p, int64_t id,
                                std::optional<int64_t> expected_version) {
  const auto& frameworks = domain::Frameworks();
  const auto& spec = domain::FrameworkControls();
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(Record framework, store_.Get(frameworks, p.org_id, id));
  // Whoever may delete the framework as a record (its owner, with records:edit-own) deletes its
  // controls with it.
  RETURN_IF_ERROR(CheckMayTakeStep(p, "frameworks"));
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, frameworks, &framework.fields, nullptr));
  RETURN_IF_ERROR(CheckVersionSeen(framework, expected_version, "framework"));
  std::vector<store::Mutation> mutations;
  bool has_controls = false;
  RETURN_IF_ERROR(ForEachPage(store_, spec, p.org_id,
                              {.filters = {{.field = "framework", .value = id}}, .limit = 500},
                              [&](std::vector<Record>& page) {
                                has_controls = has_controls || !page.empty();
                                for (const auto& c : page) mutations.push_back(DeletionOf(spec, c));
                                return Status::Ok();
                              }));
  // Its controls go with it: what changing them needs (records:edit), beyond its owner's right.
  if (has_controls) RETURN_IF_ERROR(Require(p, spec.write_permission));
  mutations.push_back(DeletionOf(frameworks, framework));
  return ToStatus(store_.Write(registers_.ActorFor(p), mutations));
}

Result<std::vector<domain::SoaAppliedControl>> FrameworkService::AppliedControls(
    const Principal& p) {
  std::vector<domain::SoaAppliedControl> out;
  RETURN_IF_ERROR(ForEachPage(
      store_, domain::AppliedControls(), p.org_id, {.limit = 500}, [&](std::vector<Record>& page) {
        for (auto& r : page) {
          domain::SoaAppliedControl a{.id = r.id,
                                      .name = r.fields.value("name", ""),
                                      .status = r.fields.value("status", "")};
          if (r.fields["annex_controls"].is_array()) {
            for (const auto& c : r.fields["annex_controls"]) {
              if (c.is_string()) a.annex_controls.push_back(c.get<std::string>());
            }
          }
          out.push_back(std::move(a));
        }
        return Status::Ok();
      }));
  return out;
}

Result<FrameworkCoverageView> FrameworkService::Coverage(const Principal& p, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  FrameworkCoverageView view;
  ASSIGN_OR_RETURN(view.framework, store_.Get(domain::Frameworks(), p.org_id, id));
  RETURN_IF_ERROR(ForEachPage(
      store_, domain::FrameworkControls(), p.org_id,
      {.filters = {{.field = "framework", .value = id}}, .sort = "position", .limit = 500},
      [&](std::vector<Record>& page) {
        for (auto& r : page) view.controls.push_back(std::move(r));
        return Status::Ok();
      }));
  ASSIGN_OR_RETURN(auto applied, AppliedControls(p));
  view.coverage = domain::DeriveFrameworkCoverage(view.controls, applied);
  return view;
}

Result<std::string> FrameworkService::ExportCatalog(const Principal& p, int64_t id) {
  ASSIGN_OR_RETURN(auto view, Coverage(p, id));
  const Json& f = view.framework.fields;
  domain::OscalCatalog catalog{
      .uuid = f.value("oscal_uuid", Json()).is_string() ? f["oscal_uuid"].get<std::string>()
                                                        : std::string(),
      .title = f.value("title", ""),
      .version = f["edition"].is_string() ? f["edition"].get<std::string>() : std::string()};
  for (const auto& c : view.controls) {
    catalog.controls.push_back(domain::FrameworkControlAsOscal(c.fields));
  }
  return domain::OscalCatalogJson(catalog, ExportMeta(p));
}

domain::OscalExportMeta FrameworkService::ExportMeta(const Principal& p) const {
  return {.organisation = p.org_name,
          .uuid_seed = fmt::format("org:{}", p.org_id),
          .generated_at = FormatUtc(clock_.Now()),
          .version = "current"};
}

Result<std::string> FrameworkService::AnnexACatalog(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return domain::OscalAnnexACatalogJson(ExportMeta(p));
}

Result<std::string> FrameworkService::SoaProfile(const Principal& p) {
  ASSIGN_OR_RETURN(auto lines, soa_.Lines(p));
  std::vector<std::string> applicable;
  for (const auto& line : lines) {
    if (line.entry.applicable.value_or(false)) applicable.push_back(line.control->id);
  }
  if (applicable.empty()) {
    return FailedPrecondition(
        "no Annex A control is applicable yet: decide the Statement of Applicability first");
  }
  return domain::OscalSoaProfileJson(ExportMeta(p), applicable, kCatalogFile);
}

Result<std::string> FrameworkService::SystemSecurityPlan(const Principal& p) {
  ASSIGN_OR_RETURN(auto lines, soa_.Lines(p));
  ASSIGN_OR_RETURN(auto members, registers_.Members(p));
  domain::OscalSsp ssp{.meta = ExportMeta(p), .profile_href = kProfileFile};
  auto scope = ApprovedVersionInForce(store_, domain::ScopeStatements(), p.org_id);
  if (scope.ok()) {
    ssp.scope = TextOf(scope->fields, "statement");
  } else if (scope.status().code() != Code::kNotFound) {
    return scope.status();
  }
  RETURN_IF_ERROR(ForEachPage(store_, domain::IsmsRoles(), p.org_id, {.limit = 500},
                              [&](std::vector<Record>& page) {
                                for (const auto& r : page) {
                                  domain::OscalSspRole role{.id = fmt::format("role-{}", r.id),
                                                            .title = TextOf(r.fields, "name")};
                                  if (r.fields["holders"].is_array()) {
                                    for (const auto& h : r.fields["holders"]) {
                                      if (!h.is_object()) continue;
                                      std::string name = NameOf(h.value("person", Json()), members);
                                      if (!name.empty()) role.holders.push_back(std::move(name));
                                    }
                                  }
                                  ssp.roles.push_back(std::move(role));
                                }
                                return Status::Ok();
                              }));
  RETURN_IF_ERROR(ForEachPage(
      store_, domain::AppliedControls(), p.org_id, {.limit = 500}, [&](std::vector<Record>& page) {
        for (const auto& r : page) {
          ssp.components.push_back({.id = r.id,
                                    .name = TextOf(r.fields, "name"),
                                    .description = TextOf(r.fields, "description"),
                                    .status = TextOf(r.fields, "status"),
                                    .owner = NameOf(r.fields["owner"], members)});
        }
        return Status::Ok();
      }));
  bool applicable = false;
  for (const auto& line : lines) {
    if (!line.entry.applicable.has_value()) continue;
    applicable = applicable || *line.entry.applicable;
    domain::OscalSspRequirement req{.control_id = line.control->id,
                                    .title = line.control->title,
                                    .applicable = *line.entry.applicable,
                                    .reasons = line.entry.reasons,
                                    .justification = line.entry.justification,
                                    .status = line.Status()};
    for (const auto& a : line.applied_controls) req.components.push_back(a.id);
    ssp.requirements.push_back(std::move(req));
  }
  if (!applicable) {
    return FailedPrecondition(
        "no Annex A control is applicable yet: decide the Statement of Applicability first");
  }
  return domain::OscalSspJson(ssp);
}

Result<std::string> FrameworkService::PlanOfActionAndMilestones(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto members, registers_.Members(p));
  ASSIGN_OR_RETURN(auto applied, AppliedControls(p));
  std::map<int64_t, const domain::SoaAppliedControl*> by_id;
  for (const auto& a : applied) by_id[a.id] = &a;
  domain::OscalPoam poam{.meta = ExportMeta(p), .ssp_href = kSspFile};
  // A treatment action is a row of its risk: its identity the risk's id and the row's place.
  RETURN_IF_ERROR(ForEachPage(
      store_, domain::Risks(), p.org_id, {.limit = 500}, [&](std::vector<Record>& page) {
        for (const auto& risk : page) {
          const Json& actions = risk.fields["actions"];
          if (!actions.is_array()) continue;
          std::vector<std::string> controls;
          if (risk.fields["controls"].is_array()) {
            for (const auto& id : risk.fields["controls"]) {
              if (!id.is_number_integer()) continue;
              const auto a = by_id.find(id.get<int64_t>());
              if (a == by_id.end()) continue;
              for (const auto& c : a->second->annex_controls) {
                if (std::find(controls.begin(), controls.end(), c) == controls.end()) {
                  controls.push_back(c);
                }
              }
            }
          }
          for (size_t row = 0; row < actions.size(); ++row) {
            const Json& action = actions[row];
            if (!action.is_object()) continue;
            const std::string status = TextOf(action, "status");
            if (status != "open" && status != "in_progress") continue;
            poam.items.push_back({.kind = "treatment_action",
                                  .id = (risk.id << 20) + static_cast<int64_t>(row),
                                  .record_type = domain::Risks().type,
                                  .record_id = risk.id,
                                  .record_title = TextOf(risk.fields, "title"),
                                  .title = TextOf(action, "action"),
                                  .status = status,
                                  .due = TextOf(action, "due"),
                                  .owner = NameOf(action.value("owner", Json()), members),
                                  .controls = controls});
          }
        }
        return Status::Ok();
      }));
  // Corrective actions are the open tasks of nonconformities.
  std::vector<Record> tasks;
  RETURN_IF_ERROR(ForEachPage(
      store_, domain::Tasks(), p.org_id,
      {.filters = {{.field = "record_type", .value = domain::Nonconformities().type},
                   {.field = "status",
                    .value = Json::array({domain::kTaskOpen, domain::kTaskInProgress})}},
       .limit = 500},
      [&](std::vector<Record>& page) {
        for (auto& t : page) tasks.push_back(std::move(t));
        return Status::Ok();
      }));
  std::vector<int64_t> nc_ids;
  for (const auto& t : tasks) {
    if (t.fields["record_id"].is_number_integer()) {
      nc_ids.push_back(t.fields["record_id"].get<int64_t>());
    }
  }
  ASSIGN_OR_RETURN(auto titles, store_.Titles(domain::Nonconformities(), p.org_id, nc_ids));
  for (const auto& t : tasks) {
    const int64_t nc =
        t.fields["record_id"].is_number_integer() ? t.fields["record_id"].get<int64_t>() : 0;
    const auto title = titles.find(nc);
    poam.items.push_back({.kind = "corrective_action",
                          .id = t.id,
                          .record_type = domain::Nonconformities().type,
                          .record_id = nc,
                          .record_title = title != titles.end()
                                              ? title->second
                                              : fmt::format("Nonconformity {}", nc),
                          .title = TextOf(t.fields, "title"),
                          .description = TextOf(t.fields, "description"),
                          .status = TextOf(t.fields, "status"),
                          .due = TextOf(t.fields, "due_date"),
                          .owner = NameOf(t.fields["owner"], members)});
  }
  if (poam.items.empty()) {
    return FailedPrecondition(
        "there is no open treatment action or corrective action: the plan would be empty");
  }
  return domain::OscalPoamJson(poam);
}

}  // namespace rampart::app
