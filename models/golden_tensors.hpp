#pragma once

// The comparisons the golden checks of every model share.

#include <string>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "models/golden_report.hpp"

namespace parley {

/// The JSON object in `path`; throws std::runtime_error when it is missing
/// or not an object.
nlohmann::json read_golden_json(const std::string& path);

/// Compares `actual` (on any device, in any float type) with `expected`
/// within `tolerance`, only where `mask` is 1 when it is defined.
golden_check compare_tensor(const std::string& name, const at::Tensor& actual,
                            const at::Tensor& expected, double tolerance,
                            const at::Tensor& mask = at::Tensor());

/// Compares greedy ids [rows, positions] with the float32 reference's.
/// `reference_logits` are the reference's teacher-forced logits over
/// `expected` without its last column: position P-1 predicts id P. A row may
/// first differ at a position where the reference's top-2 logit margin is
/// below `tolerance` (the compute type's golden_tolerance): a near-tie,
/// which the check reports; the rest of that row follows another prefix and
/// is not compared. Any other difference fails, as do different shapes
/// unless a row diverged at a near-tie (the rows may then end apart; the
/// others are compared over the common positions).
golden_check compare_greedy_ids(const at::Tensor& actual,
                                const at::Tensor& expected,
                                const at::Tensor& reference_logits,
                                double tolerance);

} // namespace parley
