#pragma once

#include <string>
#include <vector>

#include "models/transformer/compute_type.hpp"

namespace parley {

/// One compared tensor of a golden check.
struct golden_check {
  std::string tensor;
  /// Largest absolute difference; for token ids, the number that differ.
  double max_abs_diff = 0;
  double tolerance = 0;
  bool passed = false;
  /// Why it failed when no difference could be computed (a shape mismatch).
  std::string detail;
};

struct golden_report {
  std::string model_type;
  /// The compute type the checkpoint ran in.
  std::string compute_type = "float32";
  std::vector<golden_check> checks;

  bool passed() const;
};

/// Runs the checkpoint in `dir` on the inputs recorded in `dir/expected.json`
/// and compares its outputs with `dir/expected.safetensors`, which the
/// float32 reference wrote. In float32 that is within the fixture
/// tolerances (fixtures/README.md); in the other compute types the greedy
/// ids must still be identical and the model's float tensors (encoder
/// output, log-probabilities, logits) within `golden_tolerance(type)`.
/// Works for any checkpoint in that format, whatever its dimensions. Throws
/// std::runtime_error when `dir` is not in that format or holds an
/// unsupported model type.
golden_report run_golden(const std::string& dir,
                         transformer::compute_type type
                         = transformer::compute_type::float32);

/// The largest absolute difference from the float32 reference the golden
/// check accepts on a model tensor in `type`.
double golden_tolerance(transformer::compute_type type);

} // namespace parley
