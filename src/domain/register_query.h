// What is asked of a register's records (filters, search, sort, a cursor, a page size) and what
// comes back (a page, counts by group, the records referring to one). Plain values: the store
// answers them, the use cases and the pages build and read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/record.h"
#include "domain/register.h"

namespace rampart::domain {

struct Filter {
  // How the field is compared with the value. kBefore and kOnOrAfter are for use cases only (the
  // API's query parameters are equalities): the records whose date field is set and earlier
  // than the value (a date, YYYY-MM-DD: a review past due), or on or after it (held this year).
  enum class Match { kEquals, kBefore, kOnOrAfter };
  std::string field;  // a filterable field, or "id" with an array of ids (for use cases only)
  // Equality; null matches empty; an array matches any of its values (null among them
  // matching empty: the risks whose treatment is not chosen or not "retain").
  Json value;
  Match match = Match::kEquals;
};

struct ListQuery {
  std::vector<Filter> filters;
  std::string search;       // case-insensitive substring over searchable fields
  std::string sort = "id";  // a sortable field or system column
  bool descending = false;
  std::string cursor;       // next_cursor or prev_cursor of a Page; empty for the first page
  int limit = 50;           // 1..500
  bool with_total = false;  // also count the matching records
  // With with_total: stop counting past this many (0: count them all). A page of a large
  // register then shows "10,000+" instead of walking every matching row.
  int64_t total_limit = 0;
};

struct Page {
  std::vector<domain::Record> records;
  std::string next_cursor;  // empty on the last page
  std::string prev_cursor;  // the page before this one; empty on the first page
  std::optional<int64_t> total;
  bool total_capped = false;  // more records match than `total` says (total_limit reached)
};

struct GroupCount {
  std::vector<Json> values;  // one per grouped field, in order
  int64_t count = 0;
  Json latest;  // with Store::CountBy's `latest_of`: that field's greatest value in the group
};

// Records of one register that refer to a record (Store::ReferrersOf).
struct Referrers {
  static constexpr int kReferrerIds = 5;
  const domain::RegisterSpec* spec = nullptr;
  int64_t count = 0;
  std::vector<int64_t> ids;  // the first kReferrerIds, ascending
};

}  // namespace rampart::domain
