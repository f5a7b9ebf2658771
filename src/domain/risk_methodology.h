// The risk methodology of an organisation (ISO/IEC 27001 6.1.2): its likelihood and impact
// scales, the risk levels with what may be retained and who may accept it, the matrix from
// (likelihood, impact) to a level, and how often risks are reassessed.
//
// Pure data and rules: validation names every problem with a field path, so the methodology
// can be edited as a document and approved; LevelOf is the one place a risk's level is computed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/access.h"
#include "domain/record.h"

namespace rampart::domain {

struct ScaleLevel {
  std::string label;     // "Likely"
  std::string criteria;  // what makes a risk this likely / this severe, in the organisation's words
};

struct RiskLevel {
  std::string name;              // "High"
  std::string colour;            // "#d97706"
  bool may_retain = false;       // the acceptance criteria: may a risk at this level be retained
  std::vector<Role> may_accept;  // roles that may accept it (the risk owner always may)
};

struct RiskMethodology {
  std::vector<ScaleLevel> likelihood;  // lowest first; 3 to 6 levels
  std::vector<ScaleLevel> impact;      // lowest first; 3 to 6 levels
  std::vector<RiskLevel> levels;       // lowest first; 2 to 6 levels
  // matrix[l][i]: index into `levels` for likelihood l+1 and impact i+1.
  std::vector<std::vector<int>> matrix;
  int assessment_interval_months = 12;  // 1 to 36
};

inline constexpr int kMinScaleLevels = 3;
inline constexpr int kMaxScaleLevels = 6;
inline constexpr int kMaxRiskLevels = 6;

// The level index for a likelihood and impact (1-based, as users rate them); nullopt when either
// is outside its scale. The methodology must be valid.
std::optional<int> LevelOf(const RiskMethodology& m, int likelihood, int impact);

// The labels of the methodology's scales, lowest first: {"likelihood": [...], "impact": [...]}
// (what an acceptance keeps with its snapshot of the risk).
Json ScaleLabels(const RiskMethodology& m);

// Every problem, each naming its field: "likelihood", "impact[2].label", "levels[1].colour",
// "matrix[3][0]", "assessment_interval_months". Empty when the methodology is valid. A matrix
// whose level falls as likelihood or impact rises is refused.
std::vector<FieldError> ValidateMethodology(const RiskMethodology& m);

// Fills the matrix by a score rule: score = likelihood × impact, and the level is the first
// whose upper bound (`upper_scores`, one per level but the last, ascending) is at least the
// score; the last level takes the rest.
std::vector<std::vector<int>> MatrixFromScores(int likelihood_levels, int impact_levels,
                                               const std::vector<int>& upper_scores);

// A sensible start: 5 × 5 scales, low / medium / high / critical by score (≤4, ≤9, ≤15, >15),
// low and medium may be retained, reassessment every 12 months.
RiskMethodology DefaultMethodology();

// The methodology as the API shows it. It is read only from its record (domain/risk.h,
// MethodologyFromRecord): one parser.
Json MethodologyToJson(const RiskMethodology& m);

}  // namespace rampart::domain
