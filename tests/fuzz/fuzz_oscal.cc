// Fuzzes the OSCAL parsers with what a user may import: the bytes as a catalog and as a profile;
// a catalog that parses is resolved by a fixed tailoring profile, a profile that parses is
// resolved against a fixed small catalog. Must never crash, throw or run without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "domain/oscal.h"

namespace {

constexpr std::string_view kCatalog = R"({"catalog": {"uuid": "c", "metadata": {"title": "C"},
  "groups": [{"id": "ac", "title": "Access Control", "controls": [
    {"id": "ac-1", "title": "Policy", "params": [{"id": "ac-1_prm_1", "label": "frequency"},
       {"id": "ac-1_prm_2", "select": {"choice": ["a", "b {{ insert: param, ac-1_prm_1 }}"]}}],
     "parts": [{"id": "ac-1_smt", "name": "statement",
                "prose": "Review {{ insert: param, ac-1_prm_1 }}.",
                "parts": [{"id": "ac-1_smt.a", "name": "item",
                           "props": [{"name": "label", "value": "a."}],
                           "prose": "{{ insert: param, ac-1_prm_2 }}"}]},
               {"id": "ac-1_gdn", "name": "guidance", "prose": "Why."}],
     "controls": [{"id": "ac-1.1", "title": "More",
                   "parts": [{"name": "statement", "prose": "x"}]}]},
    {"id": "ac-2", "title": "Accounts"}]}]}})";

constexpr std::string_view kProfile = R"({"profile": {"uuid": "p", "metadata": {"title": "P"},
  "imports": [{"href": "#c", "include-controls": [{"matching": [{"pattern": "*"}]}]}],
  "modify": {"set-parameters": [{"param-id": "ac-1_prm_1", "values": ["monthly"]}],
             "alters": []}}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace domain = rampart::domain;
  // The fixed documents are valid: the target is broken, not the input, if they do not parse.
  static const domain::OscalCatalog kFixedCatalog = [] {
    auto r = domain::ParseOscalCatalog(kCatalog);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  static const domain::OscalProfile kFixedProfile = [] {
    auto r = domain::ParseOscalProfile(kProfile);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto catalog = domain::ParseOscalCatalog(text); catalog.ok()) {
    (void)domain::ResolveOscalProfile(kFixedProfile, *catalog);
  }
  if (auto profile = domain::ParseOscalProfile(text); profile.ok()) {
    (void)domain::ResolveOscalProfile(*profile, kFixedCatalog);
  }
  return 0;
}
