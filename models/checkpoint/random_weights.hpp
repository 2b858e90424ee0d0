#pragma once

// Random but reproducible checkpoints of any size, streamed to disk chunk by
// chunk so that a multi-gigabyte file never sits in memory.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/checkpoint/tensor.hpp"

namespace parley {

/// How to fill one tensor: roughly normal values of `mean` and `stddev`, and
/// optionally one row (index into the first dimension) left all zeros.
struct init_rule {
  float mean = 0.0f;
  float stddev = 1.0f;
  int64_t zero_row = -1;
};

/// Called after each chunk with the bytes of tensor data written so far and
/// the total.
using progress_callback = std::function<void(size_t done, size_t total)>;

/// Writes a safetensors file at `path` holding `specs` (f32, f16 or bf16),
/// each filled per `rule_of(spec)`. The values depend only on `seed`, the
/// tensor's position in `specs` and the element index, so equal arguments
/// give byte-identical files. Throws checkpoint_error.
void write_random_safetensors(
    const std::string& path, const std::vector<tensor_spec>& specs,
    const std::function<init_rule(const tensor_spec&)>& rule_of, uint64_t seed,
    const progress_callback& on_progress = {},
    const std::map<std::string, std::string>& metadata = {});

} // namespace parley
