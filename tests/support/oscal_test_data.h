// NIST's OSCAL content in tests/data/oscal (SP 800-53 rev. 5.1.1: the MODERATE baseline as a
// resolved catalog, the LOW baseline profile), read by the suites that parse, write and import
// OSCAL. Needs RAMPART_SOURCE_DIR defined for the test target.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "domain/oscal.h"

namespace rampart::test {

inline constexpr const char* kModerateCatalogFile =
    "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json";
inline constexpr const char* kLowProfileFile = "NIST_SP-800-53_rev5_LOW-baseline_profile.json";

// The file's bytes; empty when it cannot be read.
inline std::string ReadOscalTestData(const std::string& name) {
  std::ifstream in(std::string(RAMPART_SOURCE_DIR) + "/tests/data/oscal/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The MODERATE catalog's text, read once (1.8 MB).
inline const std::string& ModerateCatalogText() {
  static const std::string kText = ReadOscalTestData(kModerateCatalogFile);
  return kText;
}

// The MODERATE catalog parsed, once.
inline const domain::OscalCatalog& ModerateCatalog() {
  static const domain::OscalCatalog kCatalog = [] {
    auto r = domain::ParseOscalCatalog(ModerateCatalogText());
    if (!r.ok()) ADD_FAILURE() << r.status().ToString();
    return r.ok() ? std::move(r).value() : domain::OscalCatalog{};
  }();
  return kCatalog;
}

}  // namespace rampart::test
