#pragma once

// The comparisons the golden checks of every model share.

#include <string>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "models/golden.hpp"

namespace parley {

/// The JSON object in `path`; throws std::runtime_error when it is missing
/// or not an object.
nlohmann::json read_golden_json(const std::string& path);

/// Compares `actual` with `expected` within `tolerance`, only where `mask`
/// is 1 when it is defined.
golden_check compare_tensor(const std::string& name, const at::Tensor& actual,
                            const at::Tensor& expected, double tolerance,
                            const at::Tensor& mask = at::Tensor());

/// Compares greedy ids; every id must be equal.
golden_check compare_ids(const at::Tensor& actual, const at::Tensor& expected);

} // namespace parley
