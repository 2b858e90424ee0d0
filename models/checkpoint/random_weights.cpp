#include "models/checkpoint/random_weights.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "models/checkpoint/half.hpp"
#include "models/checkpoint/safetensors.hpp"

namespace parley {

namespace {

// Elements generated per write; 1 Mi floats keeps the buffers at a few MB.
constexpr int64_t chunk_elements = int64_t{1} << 20;

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Counter-based (splitmix64 of seed, tensor, element), so any element can be
// computed on its own and the stream does not depend on the chunk size.
void fill_normal(float* out, int64_t count, uint64_t key, int64_t first,
                 const init_rule& rule) {
  // A sum of four 16-bit uniforms has mean 2 and variance 1/3 (Irwin-Hall):
  // close enough to normal for random weights, and much cheaper.
  const float scale = rule.stddev * std::sqrt(3.0f) / 65536.0f;
  const float offset = rule.mean - 2.0f * rule.stddev * std::sqrt(3.0f);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t r =
        mix64(key + static_cast<uint64_t>(first + i) * 0x9e3779b97f4a7c15ull);
    float sum = static_cast<float>((r & 0xffff) + ((r >> 16) & 0xffff)
                                   + ((r >> 32) & 0xffff) + (r >> 48));
    out[i] = sum * scale + offset;
  }
}

void encode(const float* values, int64_t count, tensor_dtype dtype,
            unsigned char* out) {
  if (dtype == tensor_dtype::f32) {
    std::memcpy(out, values, static_cast<size_t>(count) * sizeof(float));
    return;
  }
  auto* halves = reinterpret_cast<uint16_t*>(out);
  for (int64_t i = 0; i < count; ++i)
    halves[i] = dtype == tensor_dtype::f16 ? float_to_half(values[i])
                                           : float_to_bfloat16(values[i]);
}

} // namespace

void write_random_safetensors(
    const std::string& path, const std::vector<tensor_spec>& specs,
    const std::function<init_rule(const tensor_spec&)>& rule_of, uint64_t seed,
    const progress_callback& on_progress,
    const std::map<std::string, std::string>& metadata) {
  size_t total = 0;
  for (const auto& spec : specs) {
    if (spec.dtype != tensor_dtype::f32 && spec.dtype != tensor_dtype::f16
        && spec.dtype != tensor_dtype::bf16)
      throw checkpoint_error(path + ": cannot fill tensor " + spec.name
                             + " of dtype " + to_string(spec.dtype)
                             + " with random values");
    total += spec.bytes();
  }

  safetensors_writer writer(path, specs, metadata);
  std::vector<float> values(chunk_elements);
  std::vector<unsigned char> bytes(chunk_elements * sizeof(float));
  size_t done = 0;
  for (size_t t = 0; t < specs.size(); ++t) {
    const auto& spec = specs[t];
    const auto rule = rule_of(spec);
    const int64_t numel = shape_numel(spec.shape);
    const int64_t row = spec.shape.empty() ? numel : numel / spec.shape[0];
    const uint64_t key = mix64(seed ^ mix64(t + 1));
    for (int64_t first = 0; first < numel; first += chunk_elements) {
      const int64_t count = std::min(chunk_elements, numel - first);
      fill_normal(values.data(), count, key, first, rule);
      if (rule.zero_row >= 0) {
        auto begin = std::max(rule.zero_row * row, first);
        auto end = std::min((rule.zero_row + 1) * row, first + count);
        if (begin < end)
          std::fill(values.begin() + (begin - first),
                    values.begin() + (end - first), 0.0f);
      }
      encode(values.data(), count, spec.dtype, bytes.data());
      const size_t chunk_bytes =
          static_cast<size_t>(count) * dtype_size(spec.dtype);
      writer.write(spec.name, bytes.data(), chunk_bytes);
      done += chunk_bytes;
      if (on_progress)
        on_progress(done, total);
    }
  }
  writer.finish();
}

} // namespace parley
