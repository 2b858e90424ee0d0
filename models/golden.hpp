#pragma once

#include <string>
#include <vector>

#include "models/golden_report.hpp"
#include "models/registry.hpp"

namespace parley {

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

} // namespace parley
