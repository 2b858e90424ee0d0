#pragma once

// What a golden check reports, and the tolerances it applies. Torch-free and
// actor-free: the libtorch-only check (tools/gpu_check) shares it.

#include <string>
#include <vector>

#include "models/transformer/compute_type.hpp"

namespace parley {

/// One compared tensor of a golden check.
struct golden_check {
  std::string tensor;
  /// Largest absolute difference; for greedy ids, the rows that differ from
  /// float32 other than at a near-tie.
  double max_abs_diff = 0;
  double tolerance = 0;
  bool passed = false;
  /// Why it failed when no difference could be computed (a shape mismatch).
  std::string detail;
  /// Greedy ids only: each place where this compute type chose another id
  /// than float32 at a near-tie (see compare_greedy_ids), as
  /// "row R position P: id A for B, reference margin M".
  std::vector<std::string> near_ties;
};

struct golden_report {
  std::string model_type;
  /// The compute type the checkpoint ran in.
  std::string compute_type = "float32";
  std::vector<golden_check> checks;

  bool passed() const;
};

/// The largest absolute difference from the float32 reference the golden
/// check accepts on a model tensor in `type`.
double golden_tolerance(transformer::compute_type type);

} // namespace parley
