#include "app/audit_pack_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/access_control.h"
#include "app/audit_checkpoint.h"
#include "app/audit_service.h"
#include "app/record_source.h"
#include "base/crypto.h"
#include "base/text.h"
#include "base/zip.h"
#include "domain/audit.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/management_review.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "domain/support.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {

struct PackFile {
  std::string path;   // inside the ZIP
  std::string title;  // what it is
  std::string sha256;
  size_t size = 0;
};

struct Section {
  std::string clause;
  std::string title;
  std::vector<PackFile> files;
  std::vector<std::string> notes;  // why something is not there
};

// Lower-case ASCII letters and digits, other runs as one '-', at most `max` characters.
std::string Slug(std::string_view text, size_t max = 60) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= max) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string("file") : out;
}

std::string HumanSize(size_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

std::string TextOf(const Json& fields, const char* name) {
  const Json& v = fields.value(name, Json());
  return v.is_string() ? v.get<std::string>() : v.is_number_integer() ? v.dump() : std::string();
}

// An href for a path inside the pack: each segment percent-encoded.
std::string Href(const std::string& path) {
  std::string out;
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    out += UrlEncode(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    out += '/';
    start = slash + 1;
  }
}

// The audit trail's verification script: POSIX sh, sha256sum, cut, grep and sed; openssl for
// the signed checkpoints.
constexpr std::string_view kVerifyScript = R"SH(#!/bin/sh
# Checks the audit trail excerpt beside this script without Rampart: sh, dirname, cut, grep, sed
# and sha256sum (or shasum -a 256); openssl (3.0 or later) for the signed checkpoints.
# Each line of chain.tsv is an event: its sequence number, its hash and the exact bytes its hash
# covers (its canonical encoding, a JSON array), separated by tabs, oldest first.
#   1. the hash must be the SHA-256 of the canonical encoding;
#   2. the canonical encoding must hold the line's sequence number;
#   3. the canonical encoding ends with the previous event's hash: when the previous event is in
#      the excerpt too (the next number), it must be that event's hash.
# Events of other organisations of the installation are not in the excerpt: a jump in the
# numbers is one of theirs. Where the numbers jump, and before the first and after the last
# event, the excerpt alone cannot show a deletion (VERIFY.txt says what does).
# When checkpoints.tsv is here, each of its lines is a checkpoint of the installation's audit
# signing key (event number, hash, time, base64 Ed25519 signature): its signature must verify
# with signing-key.pub.pem, and the hash it signed must be that event's hash in chain.tsv.
# Prints each problem; exits 1 when there is one, 2 when it cannot check, 0 when all check.
set -u
cd "$(dirname "$0")" || exit 2
if [ ! -r chain.tsv ]; then
  echo "chain.tsv is missing"
  exit 2
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha() { sha256sum | cut -d' ' -f1; }
else
  sha() { shasum -a 256 | cut -d' ' -f1; }
fi
tab=$(printf '\t')
bad=0
n=0
prev_seq=
prev_hash=
while IFS="$tab" read -r seq hash canonical; do
  n=$((n + 1))
  case $seq in
    '' | *[!0-9]*)
      echo "line $n: \"$seq\" is not an event number"
      bad=$((bad + 1))
      continue
      ;;
  esac
  actual=$(printf '%s' "$canonical" | sha)
  if [ "$actual" != "$hash" ]; then
    echo "event $seq: its content does not match its hash"
    bad=$((bad + 1))
  fi
  named_seq=$(printf '%s' "$canonical" | sed -n -E 's/^\[2,([0-9]+),.*/\1/p')
  if [ -z "$named_seq" ]; then
    named_seq=$(printf '%s' "$canonical" | sed -n -E 's/^\[([0-9]+),".*/\1/p')
  fi
  if [ "$named_seq" != "$seq" ]; then
    echo "event $seq: its content names event ${named_seq:-?}"
    bad=$((bad + 1))
  fi
  named_prev=$(printf '%s' "$canonical" | sed -n -E 's/.*,"([0-9a-f]{64})"\]$/\1/p')
  if [ -n "$prev_seq" ] && [ "$seq" -eq $((prev_seq + 1)) ] && [ "$named_prev" != "$prev_hash" ]; then
    echo "event $seq: does not name the hash of event $prev_seq"
    bad=$((bad + 1))
  fi
  prev_seq=$seq
  prev_hash=$hash
done < chain.tsv
signed=0
signed_last=
unchecked=0
if [ -r checkpoints.tsv ]; then
  if [ ! -r signing-key.pub.pem ]; then
    echo "signing-key.pub.pem is missing: the signed checkpoints cannot be checked"
    unchecked=1
  elif ! command -v openssl >/dev/null 2>&1; then
    echo "openssl is not installed: the signed checkpoints were not checked"
    unchecked=1
  else
    tmp=$(mktemp -d) || exit 2
    trap 'rm -rf "$tmp"' EXIT
    while IFS="$tab" read -r cseq chash cat csig; do
      printf 'rampart-audit-checkpoint\nseq=%s\nhash=%s\nat=%s\n' "$cseq" "$chash" "$cat" \
        >"$tmp/message"
      if ! printf '%s' "$csig" | openssl base64 -d -A >"$tmp/signature" 2>/dev/null ||
        ! openssl pkeyutl -verify -pubin -inkey signing-key.pub.pem -rawin \
          -in "$tmp/message" -sigfile "$tmp/signature" >/dev/null 2>&1; then
        echo "checkpoint of event $cseq ($cat): its signature does not verify with signing-key.pub.pem"
        bad=$((bad + 1))
        continue
      fi
      ehash=$(grep "^$cseq$tab" chain.tsv | cut -f2)
      if [ "$ehash" != "$chash" ]; then
        echo "event $cseq: its hash is not the one its checkpoint of $cat signed"
        bad=$((bad + 1))
        continue
      fi
      signed=$((signed + 1))
      signed_last="$cseq ($cat)"
    done <checkpoints.tsv
  fi
fi
if [ "$bad" -gt 0 ]; then
  echo "$bad problem(s) in $n events"
  exit 1
fi
echo "$n events: every hash matches its event, and every link within the excerpt holds"
echo "last event: $prev_seq $prev_hash"
if [ "$signed" -gt 0 ]; then
  echo "$signed signed checkpoint(s) verify with signing-key.pub.pem and match their events;"
  echo "the newest signed event: $signed_last"
fi
[ "$unchecked" -eq 0 ] || exit 2
)SH";

}  // namespace

Result<AuditPack> AuditPackService::Build(const Principal& p, const AuditPackOptions& options) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadAuditTrail));
  const std::string today = FormatDate(clock_.Now());
  const std::string day = options.as_of.empty() ? today : options.as_of;
  RETURN_IF_ERROR(CheckAsOf(day, today));
  const std::string from = options.from.empty() ? domain::AddDays(day, -364) : options.from;
  if (!IsValidDate(from)) {
    return InvalidArgument(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", from), "from");
  }
  if (from > day) {
    return InvalidArgument(fmt::format("the period starts ({}) after as_of ({})", from, day),
                           "from");
  }
  const bool past = day < today;
  const std::string generated_at = FormatUtc(clock_.Now());
  ReportOptions base{
      .classification = options.classification.empty() ? "Confidential" : options.classification,
      .as_of = past ? day : ""};
  std::unique_ptr<RecordSource> src =
      past ? RecordsAsOf(store_, p.org_id, day) : LiveRecords(store_, p.org_id, today);

  std::vector<ZipEntry> entries;
  std::vector<Section> sections;
  auto folder = [&](const Section& s) {
    return fmt::format("{:02}-{}/", sections.size(), Slug(s.title, 60));
  };
  auto add_file = [&](Section& s, std::string path, std::string title, std::string bytes) {
    s.files.push_back({path, std::move(title), Sha256Hex(bytes), bytes.size()});
    entries.push_back({std::move(path), std::move(bytes)});
  };
  // Adds report `name` to `s` in `formats`; a report with nothing to show then becomes a note.
  auto add_report = [&](Section& s, const std::string& name, const std::string& stem,
                        std::vector<ReportFormat> formats, const ReportOptions& o,
                        const std::string& title) -> Status {
    const ReportInfo* info = FindReport(name);
    auto doc = reports_.Build(p, name, o, *src);
    if (!doc.ok() &&
        (doc.status().code() == Code::kNotFound || doc.status().code() == Code::kTooLarge)) {
      s.notes.push_back(doc.status().message());
      return Status::Ok();
    }
    if (!doc.ok()) return doc.status();
    for (const ReportFormat f : formats) {
      auto file = ReportService::Write(*info, *doc, f);
      if (!file.ok() && file.status().code() == Code::kTooLarge) {
        s.notes.push_back(
            fmt::format("{} as {}: {}", title, ReportFormatName(f), file.status().message()));
        continue;
      }
      if (!file.ok()) return file.status();
      add_file(s, folder(s) + stem + "." + ReportFormatName(f),
               fmt::format("{} ({})", title, ReportFormatName(f)), std::move(file->bytes));
    }
    return Status::Ok();
  };
  // A section of one report of the catalogue.
  auto report_section = [&](const std::string& name, std::vector<ReportFormat> formats) -> Status {
    const ReportInfo* info = FindReport(name);
    Section s{.clause = info->clause, .title = info->title};
    sections.push_back({});  // numbered from 1
    RETURN_IF_ERROR(add_report(s, name, name, std::move(formats), base, info->title));
    sections.back() = std::move(s);
    return Status::Ok();
  };
  const std::vector<ReportFormat> pdf = {ReportFormat::kPdf};
  const std::vector<ReportFormat> tables = {ReportFormat::kPdf, ReportFormat::kXlsx};

  RETURN_IF_ERROR(report_section("isms-scope", pdf));

  {  // The ISMS policy and the topic-specific policies, as published then.
    Section s{.clause = "5.2", .title = "Information security policy and topic-specific policies"};
    sections.push_back({});
    ASSIGN_OR_RETURN(auto documents, src->All(domain::Documents(), {}));
    std::erase_if(documents, [](const Record& d) {
      return !domain::NeedsTopManagement(d.fields.value("type", std::string())) ||
             !d.fields.value("published_version", Json()).is_number_integer();
    });
    std::stable_sort(documents.begin(), documents.end(), [](const Record& a, const Record& b) {
      // The ISMS policy first, then by reference.
      const bool pa = a.fields.value("type", std::string()) == "isms_policy";
      const bool pb = b.fields.value("type", std::string()) == "isms_policy";
      if (pa != pb) return pa;
      return domain::DocumentReference(a.fields) < domain::DocumentReference(b.fields);
    });
    for (const auto& d : documents) {
      const std::string version = d.fields["published_version"].dump();
      ReportOptions o = base;
      o.id = std::to_string(d.id);
      o.version = version;
      const std::string ref = domain::DocumentReference(d.fields);
      const std::string title = TextOf(d.fields, "title");
      RETURN_IF_ERROR(add_report(s, "document",
                                 fmt::format("{}-{}-v{}", d.id, Slug(ref + " " + title), version),
                                 pdf, o, fmt::format("{} {}, version {}", ref, title, version)));
    }
    if (documents.empty()) {
      s.notes.push_back(fmt::format("No policy was published by the end of {}.", day));
    }
    sections.back() = std::move(s);
  }

  RETURN_IF_ERROR(report_section("statement-of-applicability", tables));
  RETURN_IF_ERROR(report_section("risk-register", tables));
  RETURN_IF_ERROR(report_section("risk-treatment-plan", tables));
  RETURN_IF_ERROR(report_section("objectives", tables));
  RETURN_IF_ERROR(report_section("competence-records", tables));
  RETURN_IF_ERROR(report_section("awareness-records", tables));

  {  // The internal audits reported (or closed) by then.
    Section s{.clause = "9.2", .title = "Internal audit reports"};
    sections.push_back({});
    ASSIGN_OR_RETURN(auto audits, src->All(domain::InternalAudits(), {}));
    std::erase_if(audits, [](const Record& a) {
      const std::string status = a.fields.value("status", std::string());
      return status != domain::kAuditReported && status != domain::kAuditClosed;
    });
    for (const auto& a : audits) {
      ReportOptions o = base;
      o.id = std::to_string(a.id);
      const std::string title = TextOf(a.fields, "title");
      RETURN_IF_ERROR(add_report(s, "internal-audit",
                                 fmt::format("audit-{}-{}", a.id, Slug(title, 40)), pdf, o,
                                 "Internal audit report: " + title));
    }
    if (audits.empty()) {
      s.notes.push_back(fmt::format("No internal audit was reported by the end of {}.", day));
    }
    sections.back() = std::move(s);
  }

  {  // The last management review held by then.
    Section s{.clause = "9.3", .title = "Management review minutes"};
    sections.push_back({});
    ASSIGN_OR_RETURN(auto reviews, src->All(domain::ManagementReviews(), {}));
    const Record* last = nullptr;
    for (const auto& r : reviews) {
      const std::string status = r.fields.value("status", std::string());
      const std::string date = TextOf(r.fields, "review_date");
      if (status == domain::kReviewDraft || date.empty() || date > day) continue;
      if (last == nullptr || date > TextOf(last->fields, "review_date")) last = &r;
    }
    if (last != nullptr) {
      ReportOptions o = base;
      o.id = std::to_string(last->id);
      const std::string date = TextOf(last->fields, "review_date");
      RETURN_IF_ERROR(add_report(s, "management-review", "management-review-" + date, pdf, o,
                                 "Management review of " + date));
    } else {
      s.notes.push_back(fmt::format("No management review was held by the end of {}.", day));
    }
    sections.back() = std::move(s);
  }

  RETURN_IF_ERROR(report_section("nonconformities", tables));
  RETURN_IF_ERROR(report_section("readiness-summary", pdf));

  // The audit trail of the period: to read, and to verify offline.
  int64_t event_count = 0;
  std::string first_event, last_event;
  {
    const ReportInfo* info = FindReport("audit-trail");
    Section s{.clause = info->clause, .title = info->title};
    sections.push_back({});
    ReportOptions o = base;
    o.from = from;
    o.to = day;
    RETURN_IF_ERROR(add_report(s, "audit-trail", "audit-trail",
                               {ReportFormat::kPdf, ReportFormat::kCsv}, o,
                               fmt::format("Audit trail from {} to {}", from, day)));
    domain::AuditQuery q{.from = from, .to = day, .limit = 1000};
    // The newest events of the period, at most kAuditCsvLimit of them.
    std::vector<domain::AuditEvent> events;
    const auto limit = static_cast<size_t>(RegisterService::kAuditCsvLimit);
    for (;;) {
      ASSIGN_OR_RETURN(const domain::AuditPage page, store_.ListAudit(p.org_id, q));
      for (const auto& e : page.events) {
        if (events.size() < limit) events.push_back(e);
      }
      if (events.size() >= limit && page.older != 0) {
        s.notes.push_back(fmt::format(
            "chain.tsv holds the newest {} events of the period, from {}: start the period "
            "later for a complete excerpt.",
            limit, events.back().at.substr(0, 10)));
        break;
      }
      if (page.older == 0) break;
      q.before_seq = page.older;
    }
    std::reverse(events.begin(), events.end());  // oldest first
    std::string chain;
    for (const auto& e : events) {
      chain += fmt::format("{}\t{}\t{}\n", e.seq, e.hash, domain::CanonicalEncoding(e));
    }
    event_count = static_cast<int64_t>(events.size());
    if (!events.empty()) {
      first_event = fmt::format("{} {}", events.front().seq, events.front().hash);
      last_event = fmt::format("{} {}", events.back().seq, events.back().hash);
    }
    ASSIGN_OR_RETURN(const AuditVerification whole, VerifyAuditChain(store_, p.org_id));
    // The signed checkpoints that fall on the excerpt's events (the others sign events of other
    // organisations of the installation, or of other periods).
    std::string signed_tsv;
    int64_t signed_count = 0;
    std::string newest_signed;
    if (!checkpoints_path_.empty()) {
      auto checkpoints = ReadCheckpoints(checkpoints_path_);
      if (!checkpoints.ok() && checkpoints.status().code() != Code::kNotFound) {
        return checkpoints.status();
      }
      if (checkpoints.ok()) {
        std::set<int64_t> seqs;
        for (const auto& e : events) seqs.insert(e.seq);
        for (const auto& c : *checkpoints) {
          if (!seqs.contains(c.seq)) continue;
          signed_tsv += fmt::format("{}\t{}\t{}\t{}\n", c.seq, c.hash, c.at, c.signature);
          ++signed_count;
          newest_signed = fmt::format("event {}, signed {}", c.seq, c.at);
        }
      }
    }
    const std::string dir = folder(s);
    add_file(s, dir + "chain.tsv", "The events with their canonical encoding and hash",
             std::move(chain));
    add_file(s, dir + "verify.sh", "Checks chain.tsv (and the signed checkpoints) offline",
             std::string(kVerifyScript));
    std::string signing;
    if (checkpoints_path_.empty()) {
      signing =
          "Signed checkpoints: none. The server that built this pack has no audit signing key\n"
          "(`rampart serve --signing-key`), so the excerpt carries no signed checkpoint.\n";
    } else {
      add_file(s, dir + "signing-key.pub.pem",
               "The public key of the installation's audit signing key", public_key_pem_);
      const std::string fingerprint = Sha256Hex(public_key_pem_);
      if (signed_count > 0) {
        add_file(s, dir + "checkpoints.tsv", "Signed checkpoints of the excerpt's events",
                 std::move(signed_tsv));
        signing = fmt::format("Signed checkpoints: {} in checkpoints.tsv, the newest on {}.\n",
                              signed_count, newest_signed);
      } else {
        signing =
            "Signed checkpoints: none falls on an event of this excerpt (the server signs the\n"
            "newest event of the installation at each start and once a day, and `rampart audit\n"
            "checkpoint` signs it on demand).\n";
      }
      signing += fmt::format(
          "The installation signs the newest event of its audit trail (its number and hash) with\n"
          "an Ed25519 key kept outside the database. signing-key.pub.pem is that key's public\n"
          "half; its SHA-256 is\n\n    {}\n\n"
          "Get the public key from the organisation by another channel (`rampart audit\n"
          "export-key` prints it) and compare (`sha256sum signing-key.pub.pem`): a pack's files\n"
          "can be replaced together, the key you hold cannot. verify.sh then checks, with\n"
          "openssl, that each checkpoint's signature verifies with the key and that the hash it\n"
          "signed is its event's hash in chain.tsv. A checkpoint shows that its event, and each\n"
          "event linked to it before without a jump in the numbers, were in the trail unchanged\n"
          "when it was signed: an event changed since, even with every later hash recomputed,\n"
          "no longer matches. It says nothing of the events after the newest checkpoint.\n",
          fingerprint);
    }
    std::string verify = fmt::format(
        "Verifying the audit trail excerpt of this pack\n"
        "==============================================\n\n"
        "Organisation: {}\nPeriod: {} to {} (UTC days)\nEvents: {}\n"
        "First event: {}\nLast event:  {}\n\n"
        "Rampart appends one event per change to one hash chain per installation. Each event's\n"
        "hash is the SHA-256 of its canonical encoding: a JSON array of the encoding version, its\n"
        "sequence number, time, organisation, actor id, actor, address, action, record type,\n"
        "record id, the change and the previous event's hash (events of encoding 1 leave out the\n"
        "version and the address). chain.tsv holds, per event, its number, its hash and exactly\n"
        "the bytes hashed.\n\n"
        "To check the excerpt, in this folder:\n\n"
        "    sh verify.sh\n\n"
        "It recomputes every hash and checks every link between consecutive event numbers.\n"
        "Events of other organisations of the installation are left out: where the numbers\n"
        "jump, the link runs through their events, and the excerpt alone cannot show that an\n"
        "event was deleted there, or before the first or after the last. Nor can it show a\n"
        "change made together with new hashes for the event and those after it: the files of\n"
        "a pack can be edited together; a signed checkpoint can, up to its event.\n\n"
        "{}\n"
        "What shows that the pack is the one the organisation gave:\n"
        "  - the SHA-256 of the ZIP, sent with the download (X-Content-SHA256) and recorded in\n"
        "    the organisation's audit trail as the download event (action \"download\", record\n"
        "    type \"audit_pack\"): ask for that event, or compare with `sha256sum` of the ZIP;\n"
        "  - the next pack: the events of this period must appear in it unchanged.\n\n"
        "The server verified the whole chain when it built this pack ({}): {}.\n",
        p.org_name, from, day, event_count, first_event.empty() ? "none" : first_event,
        last_event.empty() ? "none" : last_event, signing, generated_at,
        whole.intact
            ? fmt::format("intact, {} events of the organisation, the newest {} {}", whole.events,
                          whole.head_seq, whole.head_hash)
            : "BROKEN: " + whole.problem +
                  (whole.first_bad_seq > 0 ? fmt::format(" (event {})", whole.first_bad_seq)
                                           : std::string()));
    add_file(s, dir + "VERIFY.txt", "How to verify the excerpt, and what it shows",
             std::move(verify));
    sections.back() = std::move(s);
  }

  if (options.evidence) {
    Section s{.clause = "7.5.3", .title = "Evidence files"};
    sections.push_back({});
    const std::string dir = folder(s);
    const std::string before = domain::AddDays(day, 1);
    int64_t total = 0;
    for (const domain::RegisterSpec* spec :
         {&domain::ScopeStatements(), &domain::Documents(), &domain::AppliedControls(),
          &domain::Risks(), &domain::Objectives(), &domain::CompetenceRecords(),
          &domain::AwarenessCompletions(), &domain::InternalAudits(), &domain::AuditFindings(),
          &domain::ManagementReviews(), &domain::Nonconformities()}) {
      ASSIGN_OR_RETURN(const auto groups, store_.EvidenceExpiryBy(p.org_id, spec->type, before));
      if (groups.empty()) continue;
      // Only the files of records there were then (a deleted record's files stay in the store).
      std::set<int64_t> existing;
      ASSIGN_OR_RETURN(const auto records, src->All(*spec, {}));
      for (const auto& r : records) existing.insert(r.id);
      for (const auto& g : groups) {
        const int64_t record_id = g.values[0].get<int64_t>();
        if (!existing.contains(record_id)) continue;
        ASSIGN_OR_RETURN(const auto files, store_.ListEvidence(p.org_id, spec->type, record_id));
        for (const auto& f : files) {
          if (f.uploaded_at.substr(0, 10) > day) continue;
          total += f.size;
          if (total > kMaxEvidenceBytes) {
            return Status(Code::kTooLarge,
                          fmt::format("the evidence files come to more than {} MiB: download "
                                      "the pack without them, and the files from their records",
                                      kMaxEvidenceBytes >> 20),
                          "evidence");
          }
          ASSIGN_OR_RETURN(std::string bytes, store_.ReadEvidenceContent(p.org_id, f.id));
          add_file(s,
                   fmt::format("{}{}-{}/{}-{}", dir, Slug(spec->singular, 30), record_id, f.id,
                               f.file_name),
                   fmt::format("{} {}: {}", spec->singular, record_id, f.title), std::move(bytes));
        }
      }
    }
    if (s.files.empty()) {
      s.notes.push_back(fmt::format("No evidence file was attached by the end of {}.", day));
    }
    sections.back() = std::move(s);
  }

  // The index, then the checksums of every file.
  std::string html = fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Audit pack: {org}, as of {day}</title>"
      "<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
      "padding:0 1rem;color:#1a1a1a}}table{{border-collapse:collapse;width:100%;margin:.5rem 0 "
      "1.5rem}}th,td{{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;"
      "vertical-align:top}}code{{font-size:.8em;word-break:break-all;color:#555}}"
      "dt{{font-weight:600}}dd{{margin:0 0 .5rem}}.note{{color:#6b4e00}}</style></head><body>\n"
      "<h1>Audit pack: {org}</h1>\n<dl><dt>The records as of</dt><dd>the end of {day} "
      "(UTC)</dd><dt>Audit trail</dt><dd>{from} to {day}</dd><dt>Generated</dt><dd>{at} by "
      "{by}</dd></dl>\n<p>Every file is listed with its SHA-256; <code>sha256sum -c "
      "SHA256SUMS</code> checks them all. The audit trail folder says how to verify the "
      "trail offline.</p>\n",
      fmt::arg("org", HtmlEscape(p.org_name)), fmt::arg("day", day), fmt::arg("from", from),
      fmt::arg("at", generated_at),
      fmt::arg("by", HtmlEscape(p.display_name.empty() ? p.username : p.display_name)));
  for (const auto& s : sections) {
    html += fmt::format("<h2>{} <small>(clause {})</small></h2>\n", HtmlEscape(s.title),
                        HtmlEscape(s.clause));
    for (std::string n : s.notes) {
      if (!n.empty()) n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
      html += "<p class=\"note\">" + HtmlEscape(n) + "</p>\n";
    }
    if (s.files.empty()) continue;
    html +=
        "<table><thead><tr><th>File</th><th>What</th><th>Size</th><th>SHA-256</th></tr>"
        "</thead><tbody>\n";
    for (const auto& f : s.files) {
      html += fmt::format(
          "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td><code>{}</code></td>"
          "</tr>\n",
          HtmlEscape(Href(f.path)), HtmlEscape(f.path), HtmlEscape(f.title), HumanSize(f.size),
          f.sha256);
    }
    html += "</tbody></table>\n";
  }
  html += "</body></html>\n";
  entries.insert(entries.begin(), ZipEntry{"index.html", std::move(html)});
  std::string sums;
  for (const auto& e : entries) sums += fmt::format("{}  {}\n", Sha256Hex(e.bytes), e.name);
  entries.push_back({"SHA256SUMS", std::move(sums)});

  AuditPack pack;
  ASSIGN_OR_RETURN(pack.bytes, ZipBytes(entries));
  pack.sha256 = Sha256Hex(pack.bytes);
  pack.files = static_cast<int64_t>(entries.size());
  pack.filename = "audit-pack-" + day + ".zip";
  const Json diff = {{"as_of", {{"to", day}}},
                     {"from", {{"to", from}}},
                     {"evidence", {{"to", options.evidence}}},
                     {"files", {{"to", pack.files}}},
                     {"events", {{"to", event_count}}},
                     {"sha256", {{"to", pack.sha256}}}};
  RETURN_IF_ERROR(
      store_.AppendAudit(SecurityEvent(clock_, &p, p.org_id, "download", "audit_pack", 0, diff)));
  return pack;
}

}  // namespace rampart::app
