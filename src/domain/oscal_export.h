// OSCAL 1.1 documents in their JSON form written from Rampart's records — the counterpart of
// oscal.h, which reads catalogs and profiles. Five writers:
//   OscalAnnexACatalogJson  ISO/IEC 27001:2022 Annex A as a catalog (identifiers, titles and the
//                           ISO/IEC 27002 attributes; no text of the standards);
//   OscalSoaProfileJson     the Statement of Applicability as a profile of that catalog;
//   OscalCatalogJson        a catalog as oscal.h holds it (an imported or resolved framework)
//                           written back;
//   OscalSspJson            a system security plan: the ISMS, its applied controls and how they
//                           implement the applicable Annex A controls;
//   OscalPoamJson           a plan of action and milestones: the open treatment and corrective
//                           actions.
// Every document validates against NIST's OSCAL v1.1.3 JSON schemas (tests/data/oscal/schemas;
// `make test` checks samples of each with ajv). The schemas check structure only; what they do
// not check, the writers keep too: every role id referenced is one of metadata.roles, every
// component, party and risk uuid referenced is that of an object of the document.
//
// Deterministic: the same input gives the same bytes (JSON indented one space, members in the
// order NIST's documents use, UTF-8, a final newline). Every uuid is OscalUuid of the
// organisation's seed and the object's identity ("org:12/applied-control:7"), so an object keeps
// its uuid from one export to the next; each document's uuid is that of its subject (OSCAL 1.1:
// "assigned per-subject ... across revisions").
//
// Text is written as the schemas require it: single-line strings (names, prop values, versions)
// with their white space collapsed and trimmed, and a placeholder when nothing is left; titles
// on one line; descriptions and remarks trimmed, else a placeholder; tokens (ids, role ids, prop
// names) with characters other than ASCII letters, digits, '.', '-' and '_' replaced by '_' (and
// '_' put first when they do not start with a letter or '_'). Text the schema already accepts is
// kept as it is (tokens: when they are ASCII), so a catalog read from a valid document is
// written back unchanged. Markdown in Rampart's text (descriptions, justifications) is written as
// it is, not escaped. Invalid UTF-8 becomes U+FFFD.
//
// Errors: kInvalidArgument, with the field, for a generated_at that is not RFC 3339 UTC
// ("meta.generated_at") and for references that do not resolve (named below);
// kFailedPrecondition when a document would have nothing in a list OSCAL requires to be non-empty
// (a profile or plan without an applicable control, a POA&M without an action).
// Pure functions: no I/O, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/oscal.h"

namespace rampart::domain {

// The OSCAL version the documents declare: that of the schemas they are validated against.
inline constexpr char kOscalExportVersion[] = "1.1.3";
// Namespaces of the props that are Rampart's own (OSCAL requires a namespace for props it does not
// define), under the domain example, which RFC 2606 reserves: they name, they do not locate.
//   kOscalRampartNs     Rampart's records: "soa-status", "soa-reason", "record-type", ...
//   kOscalIso27002Ns    the ISO/IEC 27002:2022 attributes of an Annex A control:
//                       "control-type", "security-property", "cybersecurity-concept",
//                       "operational-capability", "security-domain".
inline constexpr char kOscalRampartNs[] = "https://rampart.example/ns/oscal";
inline constexpr char kOscalIso27002Ns[] = "https://rampart.example/ns/oscal/iso27002";

// A name-based UUID from `seed`: the first 16 bytes of its SHA-256 with the version nibble set to
// 5 and the RFC 4122 variant, lower-case ("8d0c...-...-5...-[89ab]..."). OSCAL's UUID pattern
// accepts versions 4 and 5 only; the hash is SHA-256 rather than version 5's SHA-1 of a namespace
// and name, which makes no difference to anyone reading the uuids.
std::string OscalUuid(std::string_view seed);

// The catalog's id of an Annex A control: "5.1" -> "a.5.1" (OSCAL ids are tokens and start with
// a letter).
std::string OscalAnnexAControlId(std::string_view annex_id);

// What every document's metadata says.
struct OscalExportMeta {
  std::string organisation;  // the organisation party, which prepared the document
  std::string uuid_seed;     // the organisation's identity in every uuid: "org:12"
  std::string generated_at;  // last-modified: RFC 3339 UTC, "2026-12-06T22:00:00Z" or FormatUtc's
  std::string version;       // "SoA version 3", "current"; empty means "current"
};

// Each document's metadata: title, last-modified (generated_at), version, oscal-version
// (kOscalExportVersion), roles, parties and responsible-parties. The organisation is an
// "organization" party holding the role "prepared-by"; people named in the document (role
// holders, owners) are "person" parties, one per distinct name.

// ISO/IEC 27001:2022 Annex A: four groups, one per theme ("a.5" Organizational controls, "a.6"
// People controls, "a.7" Physical controls, "a.8" Technological controls), each holding its
// controls in catalogue order: id "a.5.1", the control's title, props label ("A.5.1"), sort-id
// ("a.05.01") and one prop per ISO/IEC 27002 attribute value in kOscalIso27002Ns
// (control-type=Preventive, security-property=Confidentiality, ...). No statement or guidance
// (Rampart ships none). The version is "ISO/IEC 27001:2022" whatever meta.version says.
Result<std::string> OscalAnnexACatalogJson(const OscalExportMeta& meta);

// The Statement of Applicability as a profile: one import of the Annex A catalog at
// `catalog_href` (a URI reference, "annex-a-catalog.json"; characters a URI may not hold are
// percent-encoded; empty: "annex-a-catalog.json"), including with-ids the applicable controls
// ("5.1" given, "a.5.1" written) in catalogue order without repeats, merged as-is. Resolved
// against OscalAnnexACatalogJson's catalog, it gives exactly those controls.
// kInvalidArgument: an id that is not an Annex A control ("applicable_control_ids[2]").
// kFailedPrecondition: no applicable control (OSCAL's with-ids needs at least one).
Result<std::string> OscalSoaProfileJson(const OscalExportMeta& meta,
                                        const std::vector<std::string>& applicable_control_ids,
                                        std::string_view catalog_href);

// `catalog` written back as an OSCAL catalog, everything oscal.h keeps of it: each control under
// a group of its group_id and group_title (groups in order of their first control; controls
// without a group first, at the top), each enhancement under its parent (parent_id, when the
// parent comes before it in the same group and enhancements nest at most 60 deep; otherwise
// beside it), with class, params (id, class, props, label, guidelines, values, select), props
// and parts (id, name, ns, class, title, props, prose, parts). Reading the result with
// ParseOscalCatalog gives the same controls in the same order, every field equal, when each
// group's controls are consecutive and the ungrouped ones come first, as in any catalog
// ParseOscalCatalog read. An ns (of a part or prop) that is not an absolute URI is left out,
// and a select's how-many other than "one" or "one-or-more". The catalog's uuid, title and
// version are kept when not empty (the uuid when it is a UUID), else derived from meta.
// kInvalidArgument: two controls with the same id ("controls[7].id").
Result<std::string> OscalCatalogJson(const OscalCatalog& catalog, const OscalExportMeta& meta);

// --- System security plan ------------------------------------------------------------------------

// An ISMS role (clause 5.3) and the people holding it.
struct OscalSspRole {
  std::string id;  // a token: "isms-manager", "role-12"; "prepared-by" and "control-owner" are
                   // the writer's own and win over a role given with the same id
  std::string title;
  std::vector<std::string> holders;  // people's names
};

// An applied control of the organisation: a component of the system.
struct OscalSspComponent {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string status;                          // planned, in_progress, implemented, not_effective
  std::string owner;                           // a person's name, may be empty
  std::vector<std::string> responsible_roles;  // ids of OscalSsp::roles
};

// One decided line of the Statement of Applicability.
struct OscalSspRequirement {
  std::string control_id;  // "5.1"
  std::string title;       // the control's title (in the list of exclusions); empty: Annex A's
  bool applicable = false;
  std::vector<std::string> reasons;  // risk_treatment, legal_regulatory, ...
  std::string justification;
  // not_implemented, planned, in_progress, partially_implemented, implemented, not_effective
  std::string status;
  std::vector<int64_t> components;  // the applied controls linked, OscalSspComponent::id
};

struct OscalSsp {
  OscalExportMeta meta;
  std::string system_name;   // empty: "<organisation> ISMS"
  std::string scope;         // the ISMS scope, may be empty
  std::string profile_href;  // the SoA profile, "soa-profile.json"; empty: "soa-profile.json"
  std::vector<OscalSspRole> roles;
  std::vector<OscalSspComponent> components;
  std::vector<OscalSspRequirement> requirements;
};

// The system security plan of the ISMS:
//   metadata             roles: "prepared-by", "control-owner" (when a component has an owner),
//                        then the roles given; parties: the organisation, then every holder and
//                        owner; responsible-parties: each role with holders;
//   import-profile       profile_href;
//   system-characteristics
//                        system-ids (the uuid of "<seed>/system", which the POA&M names too),
//                        system-name, description and authorization-boundary (the scope, or a
//                        sentence saying it is not recorded), one information type "ISMS
//                        records", status operational. No security-sensitivity or impact level:
//                        Rampart does not categorise the system (FIPS 199 levels), and these are
//                        optional;
//   system-implementation
//                        users: one per role (one "ISMS users" without roles when there are
//                        none); components: "this-system" (the ISMS), then one "process-procedure"
//                        per applied control, with props applied-control-id and status, its
//                        state (implemented: operational; planned, in_progress and unknown:
//                        under-development; not_effective: other), responsible-roles (its roles,
//                        and control-owner with the owner's party);
//   control-implementation
//                        description: the SoA's counts and each excluded control with its
//                        justification; implemented-requirements: one per applicable requirement,
//                        control-id "a.5.1", props soa-status and soa-reason (each), the
//                        justification as remarks, and by-components: one per linked applied
//                        control (its description, else its name; implementation-status
//                        implemented for implemented, planned for planned, partial for
//                        in_progress and for not_effective — with remarks saying it is not
//                        effective; its responsible-roles), or, with none linked, one of
//                        "this-system" whose state follows the SoA status (implemented;
//                        partially_implemented, in_progress and not_effective: partial;
//                        planned and not_implemented: planned) with remarks saying so.
// Excluded controls are not implemented requirements: the SSP imports the SoA profile, which does
// not include them. Their justification is in control-implementation's description.
// kInvalidArgument: a repeated component id ("components[3].id"), a component's role that is not
// one of `roles` ("components[3].responsible_roles[0]"), a requirement of a control that is not
// in Annex A or repeated ("requirements[4].control_id"), a linked component that is not one of
// `components` ("requirements[4].components[1]"). kFailedPrecondition: no applicable requirement.
Result<std::string> OscalSspJson(const OscalSsp& ssp);

// --- Plan of action and milestones ---------------------------------------------------------------

// An open action: a risk's treatment action or a nonconformity's corrective action.
struct OscalPoamItem {
  std::string kind;         // "treatment_action", "corrective_action"
  int64_t id = 0;           // the action's record id: with kind, its identity
  std::string record_type;  // what it acts on: "risk", "nonconformity"
  int64_t record_id = 0;
  std::string record_title;  // the risk's or nonconformity's title
  std::string title;         // the action's
  std::string description;
  std::string status;                 // open, in_progress
  std::string due;                    // YYYY-MM-DD, or empty
  std::string owner;                  // a person's name, or empty
  std::vector<std::string> controls;  // related Annex A controls: "5.1"
};

struct OscalPoam {
  OscalExportMeta meta;
  std::string ssp_href;  // the SSP, "ssp.json"; empty: the system is named by its system-id
  std::vector<OscalPoamItem> items;
};

// The plan of action and milestones, as NIST's POA&M examples write one:
//   metadata     roles "prepared-by" and "action-owner" (when an action has an owner);
//   import-ssp   ssp_href, or without one system-id (the SSP's, "<seed>/system");
//   risks        one per record acted on (a risk, or a nonconformity: OSCAL's weakness to
//                remediate), in order of first mention: its title, props record-type and
//                record-id, status remediating when one of its actions is in progress, else
//                open; deadline the latest due date of its actions (the end of that day, UTC);
//                remediations: one per action (lifecycle planned, its title and description,
//                props kind and status) with one milestone task when it has a due date (timing
//                on-date) or an owner (responsible-roles action-owner with the owner's party);
//   poam-items   one per action: its title and description, props kind, status, due (as given)
//                and control-id ("a.5.1", one per related control), related-risks its record's
//                risk.
// kInvalidArgument: an action repeated (same kind and id: "items[2].id"), a due date that is not
// a date ("items[2].due"), a related control that is not in Annex A ("items[2].controls[0]").
// kFailedPrecondition: no item (OSCAL requires at least one poam-item).
Result<std::string> OscalPoamJson(const OscalPoam& poam);

}  // namespace rampart::domain
