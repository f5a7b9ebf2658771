#include "domain/risk_methodology.h"

#include <fmt/format.h>

#include "base/text.h"

namespace rampart::domain {

namespace {

bool IsHexColour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

void CheckText(const std::string& value, const std::string& field, size_t max, bool required,
               std::vector<FieldError>& errors) {
  const long len = Utf8Length(value);
  if (len < 0) {
    errors.push_back({field, "not valid UTF-8 text"});
  } else if (required && Trim(value).empty()) {
    errors.push_back({field, "required"});
  } else if (static_cast<size_t>(len) > max) {
    errors.push_back({field, fmt::format("at most {} characters", max)});
  }
}

void CheckScale(const std::vector<ScaleLevel>& scale, const std::string& name,
                std::vector<FieldError>& errors) {
  if (scale.size() < kMinScaleLevels || scale.size() > kMaxScaleLevels) {
    errors.push_back({name, fmt::format("a scale has {} to {} levels, not {}", kMinScaleLevels,
                                        kMaxScaleLevels, scale.size())});
  }
  for (size_t i = 0; i < scale.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", name, i);
    CheckText(scale[i].label, at + ".label", 60, true, errors);
    CheckText(scale[i].criteria, at + ".criteria", 1000, false, errors);
    for (size_t j = 0; j < i; ++j) {
      if (ToLower(Trim(scale[j].label)) == ToLower(Trim(scale[i].label))) {
        errors.push_back({at + ".label", "two levels of a scale have the same label"});
      }
    }
  }
}

}  // namespace

Json ScaleLabels(const RiskMethodology& m) {
  Json out = {{"likelihood", Json::array()}, {"impact", Json::array()}};
  for (const auto& l : m.likelihood) out["likelihood"].push_back(l.label);
  for (const auto& l : m.impact) out["impact"].push_back(l.label);
  return out;
}

std::optional<int> LevelOf(const RiskMethodology& m, int likelihood, int impact) {
  if (likelihood < 1 || impact < 1 || static_cast<size_t>(likelihood) > m.matrix.size()) {
    return std::nullopt;
  }
  const auto& row = m.matrix[likelihood - 1];
  if (static_cast<size_t>(impact) > row.size()) return std::nullopt;
  return row[impact - 1];
}

std::vector<FieldError> ValidateMethodology(const RiskMethodology& m) {
  std::vector<FieldError> errors;
  CheckScale(m.likelihood, "likelihood", errors);
  CheckScale(m.impact, "impact", errors);
  if (m.levels.size() < 2 || m.levels.size() > kMaxRiskLevels) {
    errors.push_back(
        {"levels", fmt::format("2 to {} risk levels, not {}", kMaxRiskLevels, m.levels.size())});
  }
  for (size_t i = 0; i < m.levels.size(); ++i) {
    const RiskLevel& l = m.levels[i];
    const std::string at = fmt::format("levels[{}]", i);
    CheckText(l.name, at + ".name", 40, true, errors);
    if (!IsHexColour(l.colour)) {
      errors.push_back({at + ".colour", "a colour is written #rrggbb"});
    }
    if (i > 0 && l.may_retain && !m.levels[i - 1].may_retain) {
      errors.push_back(
          {at + ".may_retain", "a level may be retained only when every lower level may be"});
    }
  }
  if (m.matrix.size() != m.likelihood.size()) {
    errors.push_back({"matrix", fmt::format("the matrix needs one row per likelihood level ({})",
                                            m.likelihood.size())});
  } else {
    for (size_t l = 0; l < m.matrix.size(); ++l) {
      if (m.matrix[l].size() != m.impact.size()) {
        errors.push_back(
            {fmt::format("matrix[{}]", l),
             fmt::format("each row needs one cell per impact level ({})", m.impact.size())});
        continue;
      }
      for (size_t i = 0; i < m.matrix[l].size(); ++i) {
        const int v = m.matrix[l][i];
        const std::string at = fmt::format("matrix[{}][{}]", l, i);
        if (v < 0 || static_cast<size_t>(v) >= m.levels.size()) {
          errors.push_back({at, "not one of the risk levels"});
        } else if ((l > 0 && m.matrix[l - 1].size() == m.impact.size() && v < m.matrix[l - 1][i]) ||
                   (i > 0 && v < m.matrix[l][i - 1])) {
          errors.push_back({at, "the level must not fall as likelihood or impact rises"});
        }
      }
    }
  }
  if (m.assessment_interval_months < 1 || m.assessment_interval_months > 36) {
    errors.push_back({"assessment_interval_months", "1 to 36 months"});
  }
  return errors;
}

std::vector<std::vector<int>> MatrixFromScores(int likelihood_levels, int impact_levels,
                                               const std::vector<int>& upper_scores) {
  std::vector<std::vector<int>> matrix(likelihood_levels, std::vector<int>(impact_levels, 0));
  for (int l = 1; l <= likelihood_levels; ++l) {
    for (int i = 1; i <= impact_levels; ++i) {
      int level = 0;
      while (static_cast<size_t>(level) < upper_scores.size() && l * i > upper_scores[level]) {
        ++level;
      }
      matrix[l - 1][i - 1] = level;
    }
  }
  return matrix;
}

RiskMethodology DefaultMethodology() {
  RiskMethodology m;
  m.likelihood = {{"Rare", "Not expected in the next five years"},
                  {"Unlikely", "Could happen in the next five years"},
                  {"Possible", "Could happen in the next two years"},
                  {"Likely", "Expected within a year"},
                  {"Almost certain", "Expected within months, or happening"}};
  m.impact = {{"Negligible", "No noticeable effect"},
              {"Minor", "Contained; small cost; no customer affected"},
              {"Moderate", "Some customers or a key process affected; reportable internally"},
              {"Major", "Many customers affected; regulatory notification; large cost"},
              {"Severe", "Threatens the organisation's operation or licence"}};
  m.levels = {{"Low", "#15803d", true, {Role::kIsmsManager, Role::kExecutive}},
              {"Medium", "#ca8a04", true, {Role::kExecutive}},
              {"High", "#ea580c", false, {Role::kExecutive}},
              {"Critical", "#b91c1c", false, {Role::kExecutive}}};
  m.matrix = MatrixFromScores(5, 5, {4, 9, 15});
  m.assessment_interval_months = 12;
  return m;
}

Json MethodologyToJson(const RiskMethodology& m) {
  auto scale = [](const std::vector<ScaleLevel>& s) {
    Json out = Json::array();
    for (const auto& l : s) out.push_back({{"label", l.label}, {"criteria", l.criteria}});
    return out;
  };
  Json levels = Json::array();
  for (const auto& l : m.levels) {
    Json roles = Json::array();
    for (auto r : l.may_accept) roles.push_back(RoleName(r));
    levels.push_back({{"name", l.name},
                      {"colour", l.colour},
                      {"may_retain", l.may_retain},
                      {"may_accept", roles}});
  }
  return {{"likelihood", scale(m.likelihood)},
          {"impact", scale(m.impact)},
          {"levels", levels},
          {"matrix", m.matrix},
          {"assessment_interval_months", m.assessment_interval_months}};
}

}  // namespace rampart::domain
