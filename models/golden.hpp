#pragma once

#include <string>
#include <vector>

#include "models/registry.hpp"
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

/// The `model_type` of the checkpoint in `dir`, from its config.json. Throws
/// std::runtime_error when there is none.
std::string checkpoint_model_type(const std::string& dir);

/// Runs the checkpoint in `dir` on the inputs recorded in `dir/expected.json`
/// and compares its outputs with `dir/expected.safetensors`, which the
/// float32 reference wrote, with the golden hook of the kind of `kinds` that
/// loads its model_type. In float32 that is within the fixture tolerances
/// (fixtures/README.md); in the other compute types the model's float
/// tensors (encoder output, log-probabilities, logits) must be within
/// `golden_tolerance(type)`, and the greedy ids identical except at a
/// near-tie of the float32 reference (compare_greedy_ids). Works for any
/// checkpoint in that format, whatever its dimensions. Throws
/// std::runtime_error when `dir` is not in that format or no kind checks its
/// model type.
golden_report
run_golden(const std::string& dir,
           transformer::compute_type type = transformer::compute_type::float32,
           const backend_registry& kinds = backend_registry::builtin());

/// The largest absolute difference from the float32 reference the golden
/// check accepts on a model tensor in `type`.
double golden_tolerance(transformer::compute_type type);

} // namespace parley
