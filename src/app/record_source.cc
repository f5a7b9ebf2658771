#include "app/record_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

#include "app/register_service.h"
#include "base/clock.h"
#include "domain/readiness.h"
#include "domain/risk.h"
#include "domain/support.h"

namespace rampart::app {

using domain::Filter;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;

namespace {

constexpr int kPage = 500;

domain::ListQuery QueryOf(const std::vector<Filter>& filters, int limit,
                          const std::string& sort = "id") {
  domain::ListQuery q;
  q.filters = filters;
  q.sort = sort;
  q.limit = limit;
  return q;
}

// Whether record `a` comes before `b` sorted by `sort` as the store sorts (empty first, then
// by id).
bool SortsBefore(const Record& a, const Record& b, const std::string& sort) {
  if (sort != "id") {
    const Json& va = a.fields.value(sort, Json());
    const Json& vb = b.fields.value(sort, Json());
    if (va.is_null() != vb.is_null()) return va.is_null();
    if (va != vb) return va < vb;
  }
  return a.id < b.id;
}

class Live : public RecordSource {
 public:
  Live(store::Store& store, int64_t org_id, std::string day)
      : RecordSource(std::move(day)), store_(store), org_id_(org_id) {}

  Result<int64_t> Count(const RegisterSpec& spec, const std::vector<Filter>& filters,
                        int64_t cap) override {
    auto q = QueryOf(filters, 1);
    q.total_limit = cap;
    return store_.Count(spec, org_id_, q);
  }

  Result<std::map<std::string, int64_t>> Tally(const RegisterSpec& spec,
                                               const std::vector<Filter>& filters,
                                               const std::string& field) override {
    ASSIGN_OR_RETURN(auto groups, store_.CountBy(spec, org_id_, QueryOf(filters, 1), {field}));
    std::map<std::string, int64_t> out;
    for (const auto& g : groups) {
      if (g.values.size() == 1 && g.values[0].is_string()) out[g.values[0]] += g.count;
    }
    return out;
  }

  Result<std::map<int64_t, std::string>> Latest(const RegisterSpec& spec,
                                                const std::vector<Filter>& filters,
                                                const std::string& group_field,
                                                const std::string& date_field) override {
    ASSIGN_OR_RETURN(auto groups,
                     store_.CountBy(spec, org_id_, QueryOf(filters, 1), {group_field}, date_field));
    std::map<int64_t, std::string> out;
    for (const auto& g : groups) {
      if (g.values[0].is_number_integer() && g.latest.is_string()) {
        out[g.values[0].get<int64_t>()] = g.latest.get<std::string>();
      }
    }
    return out;
  }

  Result<std::map<int64_t, domain::EvidenceExpiry>> EvidenceExpiries(
      const RegisterSpec& spec) override {
    return Expiries(spec, "");
  }

  Result<std::vector<Record>> First(const RegisterSpec& spec, const std::vector<Filter>& filters,
                                    int limit, const std::string& sort) override {
    ASSIGN_OR_RETURN(auto page, store_.List(spec, org_id_, QueryOf(filters, limit, sort)));
    return std::move(page.records);
  }

  Result<std::vector<Record>> All(const RegisterSpec& spec,
                                  const std::vector<Filter>& filters) override {
    std::vector<Record> out;
    RETURN_IF_ERROR(
        ForEachPage(store_, spec, org_id_, QueryOf(filters, kPage), [&](std::vector<Record>& page) {
          for (auto& r : page) out.push_back(std::move(r));
          return Status::Ok();
        }));
    return out;
  }

  Result<std::vector<domain::SoaEntry>> SoaEntries() override { return store_.SoaEntries(org_id_); }
  Result<std::vector<domain::SoaVersion>> SoaVersions() override {
    return store_.ListSoaVersions(org_id_);
  }
  Result<std::vector<domain::SoaAppliedControl>> SoaAppliedControls() override {
    return store_.AnnexLinkedControls(org_id_);
  }

  Result<std::string> LastChange(const std::string& record_type) override {
    return Newest(record_type, "");
  }

 protected:
  Result<std::map<int64_t, domain::EvidenceExpiry>> Expiries(const RegisterSpec& spec,
                                                             const std::string& uploaded_before) {
    ASSIGN_OR_RETURN(auto groups, store_.EvidenceExpiryBy(org_id_, spec.type, uploaded_before));
    std::map<int64_t, domain::EvidenceExpiry> out;
    for (const auto& g : groups) {
      out[g.values[0].get<int64_t>()] = {
          .files = g.count,
          .never_expire = g.values[1].get<int64_t>(),
          .latest = g.latest.is_string() ? g.latest.get<std::string>() : std::string()};
    }
    return out;
  }

  // The time of the newest event about `record_type` up to day `to` (inclusive; empty: any).
  Result<std::string> Newest(const std::string& record_type, const std::string& to) {
    domain::AuditQuery q{.record_type = record_type, .to = to, .limit = 1};
    ASSIGN_OR_RETURN(auto page, store_.ListAudit(org_id_, q));
    return page.events.empty() ? std::string() : page.events.front().at;
  }

  store::Store& store_;
  int64_t org_id_;
};

// A record changed after the day: its fields now (absent when deleted) and then (absent when it
// did not exist yet).
struct Changed {
  std::optional<Json> now;
  std::optional<Json> then;
};

class AsOf : public Live {
 public:
  AsOf(store::Store& store, int64_t org_id, std::string day)
      : Live(store, org_id, day), after_(domain::AddDays(day, 1)) {}

  Result<int64_t> Count(const RegisterSpec& spec, const std::vector<Filter>& filters,
                        int64_t cap) override {
    ASSIGN_OR_RETURN(const auto* changed, ChangedOf(spec));
    // Capped too: past the cap and the changed records, the count then is past the cap.
    const int64_t changes = static_cast<int64_t>(changed->size());
    ASSIGN_OR_RETURN(int64_t n, Live::Count(spec, filters, cap > 0 ? cap + changes : 0));
    for (const auto& [id, c] : *changed) {
      if (c.now && domain::MatchesFilters(spec, filters, *c.now)) --n;
      if (c.then && domain::MatchesFilters(spec, filters, *c.then)) ++n;
    }
    return cap > 0 ? std::min(n, cap + 1) : n;
  }

  Result<std::map<std::string, int64_t>> Tally(const RegisterSpec& spec,
                                               const std::vector<Filter>& filters,
                                               const std::string& field) override {
    ASSIGN_OR_RETURN(const auto* changed, ChangedOf(spec));
    ASSIGN_OR_RETURN(auto out, Live::Tally(spec, filters, field));
    // Each changed record's values out as it is now, in as it was on the day.
    auto add = [&](const Json& fields, int64_t by) {
      if (!domain::MatchesFilters(spec, filters, fields)) return;
      const Json& v = fields.value(field, Json());
      if (v.is_string()) out[v] += by;
      if (!v.is_array()) return;
      for (const auto& item : v) {
        if (item.is_string()) out[item] += by;
      }
    };
    for (const auto& [id, c] : *changed) {
      if (c.now) add(*c.now, -1);
      if (c.then) add(*c.then, +1);
    }
    std::erase_if(out, [](const auto& kv) { return kv.second <= 0; });
    return out;
  }

  Result<std::map<int64_t, std::string>> Latest(const RegisterSpec& spec,
                                                const std::vector<Filter>& filters,
                                                const std::string& group_field,
                                                const std::string& date_field) override {
    ASSIGN_OR_RETURN(const auto* changed, ChangedOf(spec));
    ASSIGN_OR_RETURN(auto out, Live::Latest(spec, filters, group_field, date_field));
    // The groups a changed record is in, now or then, read again as they were on the day (a
    // maximum cannot be undone): the work grows with the changes, not with the register.
    std::set<int64_t> groups;
    for (const auto& [id, c] : *changed) {
      for (const auto* fields : {c.now ? &*c.now : nullptr, c.then ? &*c.then : nullptr}) {
        if (fields == nullptr) continue;
        const Json& g = fields->value(group_field, Json());
        if (g.is_number_integer()) groups.insert(g.get<int64_t>());
      }
    }
    for (int64_t g : groups) {
      auto of_group = filters;
      of_group.push_back({group_field, g});
      ASSIGN_OR_RETURN(auto records, All(spec, of_group));
      out.erase(g);
      for (const auto& r : records) {
        const Json& d = r.fields.value(date_field, Json());
        if (d.is_string() && !d.get_ref<const std::string&>().empty() &&
            (out.count(g) == 0 || out[g] < d.get<std::string>())) {
          out[g] = d.get<std::string>();
        }
      }
    }
    return out;
  }

  Result<std::map<int64_t, domain::EvidenceExpiry>> EvidenceExpiries(
      const RegisterSpec& spec) override {
    return Expiries(spec, after_);  // uploaded before the day after
  }

  Result<std::vector<Record>> First(const RegisterSpec& spec, const std::vector<Filter>& filters,
                                    int limit, const std::string& sort) override {
    ASSIGN_OR_RETURN(const auto* changed, ChangedOf(spec));
    // Enough of today's records that, the changed ones set aside, `limit` remain.
    ASSIGN_OR_RETURN(
        auto now,
        Live::First(spec, filters,
                    limit + static_cast<int>(std::min<size_t>(changed->size(), kPage - limit)),
                    sort));
    return Merge(spec, filters, *changed, std::move(now), limit, sort);
  }

  Result<std::vector<Record>> All(const RegisterSpec& spec,
                                  const std::vector<Filter>& filters) override {
    ASSIGN_OR_RETURN(const auto* changed, ChangedOf(spec));
    ASSIGN_OR_RETURN(auto now, Live::All(spec, filters));
    return Merge(spec, filters, *changed, std::move(now), 0, "id");
  }

  Result<std::vector<domain::SoaEntry>> SoaEntries() override {
    ASSIGN_OR_RETURN(auto entries, Live::SoaEntries());
    ASSIGN_OR_RETURN(auto events, EventsAfter("soa_entry"));
    std::vector<domain::SoaEntry> out;
    for (auto& e : entries) {
      const auto it = events.find(e.id);
      if (it == events.end()) {
        out.push_back(std::move(e));
        continue;
      }
      // The first decision names the control: made after the day, the control was undecided.
      const bool created = std::any_of(it->second.begin(), it->second.end(), [](const auto* ev) {
        return ev->diff.contains("control_id");
      });
      if (created) continue;
      Json now = {{"applicable", e.applicable ? Json(*e.applicable) : Json()},
                  {"reasons", e.reasons},
                  {"justification", e.justification},
                  {"status_override", e.status_override},
                  {"override_reason", e.override_reason}};
      const Json then = domain::FieldsBefore(now, it->second);
      e.applicable = then["applicable"].is_boolean() ? std::optional(then["applicable"].get<bool>())
                                                     : std::nullopt;
      e.reasons = then["reasons"].is_array() ? then["reasons"].get<std::vector<std::string>>()
                                             : std::vector<std::string>{};
      e.justification = then["justification"].is_string() ? then["justification"] : "";
      e.status_override = then["status_override"].is_string() ? then["status_override"] : "";
      e.override_reason = then["override_reason"].is_string() ? then["override_reason"] : "";
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::vector<domain::SoaVersion>> SoaVersions() override {
    ASSIGN_OR_RETURN(auto versions, Live::SoaVersions());
    std::erase_if(versions, [&](const domain::SoaVersion& v) { return v.approved_at >= after_; });
    return versions;
  }

  Result<std::vector<domain::SoaAppliedControl>> SoaAppliedControls() override {
    ASSIGN_OR_RETURN(auto controls, All(domain::AppliedControls(), {}));
    std::vector<domain::SoaAppliedControl> out;
    const std::string& title = domain::AppliedControls().title_field;
    for (const auto& r : controls) {
      const Json& annex = r.fields.value("annex_controls", Json());
      if (!annex.is_array() || annex.empty()) continue;
      domain::SoaAppliedControl c{.id = r.id};
      c.name = r.fields.value(title, Json()).is_string() ? r.fields[title] : "";
      c.status = r.fields.value("status", Json()).is_string() ? r.fields["status"] : "";
      for (const auto& a : annex) {
        if (a.is_string()) c.annex_controls.push_back(a);
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::string> LastChange(const std::string& record_type) override {
    return Newest(record_type, Day());
  }

 private:
  using Events = std::map<int64_t, std::vector<const domain::AuditEvent*>>;

  // The events after the day about records of `record_type`, by record, newest first.
  Result<Events> EventsAfter(const std::string& record_type) {
    RETURN_IF_ERROR(ReadEventsAfter());
    Events out;
    for (const auto& e : kept_) {
      if (e.record_type == record_type) out[e.record_id].push_back(&e);
    }
    for (auto& [id, events] : out) {
      std::sort(events.begin(), events.end(),
                [](const auto* a, const auto* b) { return a->seq > b->seq; });
    }
    return out;
  }

  // Every event after the day, read once: the trail newest first, a page of 500 at a time, back
  // to an hour before the day's end. The trail is appended nearly in time order (an event's time
  // is taken before its transaction numbers it, so two writes at midnight may cross), so the
  // events after the day are the newest ones and those of the day's last hour are read past;
  // walking back from the newest costs what happened since the day, where asking the store for
  // the events from a day on would walk every event of the kind to find them (the time is not
  // indexed: 100,000 risks' events for the 100 changed).
  Status ReadEventsAfter() {
    if (events_read_) return Status::Ok();
    const std::string margin = domain::AddDays(after_, -1) + "T23:00";
    domain::AuditQuery q{.limit = kPage};
    for (;;) {
      ASSIGN_OR_RETURN(auto page, store_.ListAudit(org_id_, q));
      bool reached = false;
      for (auto& e : page.events) {
        if (e.at < margin) {
          reached = true;
          break;
        }
        if (e.at >= after_) kept_.push_back(std::move(e));
      }
      if (reached || page.older == 0) break;
      q.before_seq = page.older;
    }
    events_read_ = true;
    return Status::Ok();
  }

  // The records of `spec` changed after the day, read once per register.
  Result<const std::map<int64_t, Changed>*> ChangedOf(const RegisterSpec& spec) {
    const auto found = changed_.find(spec.type);
    if (found != changed_.end()) return &found->second;
    ASSIGN_OR_RETURN(auto events, EventsAfter(spec.type));
    std::map<int64_t, Changed> out;
    std::vector<int64_t> ids;
    for (const auto& [id, e] : events) ids.push_back(id);
    std::map<int64_t, Record> now;
    for (size_t at = 0; at < ids.size(); at += kPage) {
      Json chunk = Json::array();
      for (size_t i = at; i < std::min(ids.size(), at + kPage); ++i) chunk.push_back(ids[i]);
      domain::ListQuery q;
      q.filters.push_back({"id", std::move(chunk)});
      q.limit = kPage;
      ASSIGN_OR_RETURN(auto page, store_.List(spec, org_id_, q));
      for (auto& r : page.records) now.emplace(r.id, std::move(r));
    }
    for (const auto& [id, since] : events) {
      Changed c;
      bool existed = false;
      const auto it = now.find(id);
      if (it != now.end()) {
        c.now = it->second.fields;
        existed = it->second.created_at < after_;
      } else {
        // Deleted since: it existed on the day if it was created by then.
        ASSIGN_OR_RETURN(auto history, store_.RecordHistory(org_id_, spec.type, id));
        existed = !history.empty() && history.front().at < after_;
      }
      if (existed) c.then = domain::FieldsBefore(c.now, since);
      out.emplace(id, std::move(c));
    }
    return &changed_.emplace(spec.type, std::move(out)).first->second;
  }

  // Today's records (in the order of `sort`) with the changed ones replaced by what they were on
  // the day.
  static std::vector<Record> Merge(const RegisterSpec& spec, const std::vector<Filter>& filters,
                                   const std::map<int64_t, Changed>& changed,
                                   std::vector<Record> now, int limit, const std::string& sort) {
    std::vector<Record> out;
    for (auto& r : now) {
      if (changed.count(r.id) == 0) out.push_back(std::move(r));
    }
    for (const auto& [id, c] : changed) {
      if (c.then && domain::MatchesFilters(spec, filters, *c.then)) {
        Record r;
        r.id = id;
        r.fields = *c.then;
        out.push_back(std::move(r));
      }
    }
    std::sort(out.begin(), out.end(),
              [&](const Record& a, const Record& b) { return SortsBefore(a, b, sort); });
    if (limit > 0 && out.size() > static_cast<size_t>(limit)) out.resize(limit);
    return out;
  }

  std::string after_;                    // the day after: events from it on are undone
  std::deque<domain::AuditEvent> kept_;  // the events after the day, newest first
  bool events_read_ = false;
  std::map<std::string, std::map<int64_t, Changed>> changed_;
};

}  // namespace

std::unique_ptr<RecordSource> LiveRecords(store::Store& store, int64_t org_id, std::string today) {
  return std::make_unique<Live>(store, org_id, std::move(today));
}

std::unique_ptr<RecordSource> RecordsAsOf(store::Store& store, int64_t org_id, std::string day) {
  return std::make_unique<AsOf>(store, org_id, std::move(day));
}

Status CheckAsOf(const std::string& day, const std::string& today) {
  if (!IsValidDate(day)) {
    return InvalidArgument(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", day), "as_of");
  }
  if (day > today) {
    return InvalidArgument(
        fmt::format("{} is after today ({}): the records are known up to today", day, today),
        "as_of");
  }
  return Status::Ok();
}

}  // namespace rampart::app
