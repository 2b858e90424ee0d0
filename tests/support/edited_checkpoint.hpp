#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/checkpoint/safetensors.hpp"

namespace parley::test {

/// Rewrites a checkpoint's tensors: their views, and the bytes behind them.
using tensor_edit = std::function<void(std::vector<tensor_view>&,
                                       std::vector<std::vector<char>>&)>;

/// A writable copy of the checkpoint in `source` (a fresh directory named
/// after `name`) whose model.safetensors `edit` rewrites; returns its path.
std::string edited_copy(const std::string& source, const std::string& name,
                        const tensor_edit& edit);

} // namespace parley::test
