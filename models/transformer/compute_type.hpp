#pragma once

// The compute types of the neural backends (`compute_type` option), and how
// `auto` picks one for the CPU. Torch-free.

#include <optional>
#include <string>
#include <vector>

#include "models/transformer/cpu_features.hpp"

namespace parley::transformer {

/// How the Linear layers hold their weights and run their products; the
/// types with bfloat16 also run Whisper's encoder self-attention products in
/// bfloat16. Layer norms, softmax and the residual stream stay float32 in
/// every type.
enum class compute_type {
  /// float32 weights; OpenBLAS, or a matrix-vector product for one row.
  float32,
  /// bfloat16 weights and activations in the products, which oneDNN runs
  /// (AVX512_BF16 or AMX); float32 accumulation and outputs.
  bfloat16,
  /// int8 weights per output channel, packed once at load for oneDNN's int8
  /// product (AMX-INT8 or AVX-512 VNNI); activations quantized per call.
  int8,
  /// int8 weights for the decoding steps (up to 64 rows), which are bound by
  /// reading the weights, and bfloat16 weights for the many-row products of
  /// the encoder, which are bound by arithmetic: the AMX split.
  int8_bfloat16,
  /// float16 weights and activations: CUDA only (tensor cores); on the CPU
  /// it falls back to float32.
  float16,
};

/// "float32", "bfloat16", "int8", "int8_bfloat16", "float16".
const char* to_string(compute_type type);

/// Whether `type` holds int8 weights (and so needs a quantized engine).
bool uses_int8(compute_type type);

/// Whether `type` runs products in bfloat16 (bfloat16, int8_bfloat16).
bool uses_bfloat16(compute_type type);

/// Every compute type the CPU runs, float32 first.
const std::vector<compute_type>& all_compute_types();

/// The compute types CUDA runs: float16, bfloat16, float32.
const std::vector<compute_type>& cuda_compute_types();

/// Parses a compute type name ("auto" is not one).
std::optional<compute_type> parse_compute_type(const std::string& name);

/// Why this CPU cannot run `type` fast; empty when it can.
std::string slow_reason(compute_type type, const cpu_features& cpu);

/// What a `compute_type` option resolves to on one CPU.
struct compute_choice {
  compute_type type = compute_type::float32;
  /// Why: the features `auto` went by, or why a request fell back.
  std::string reason;
  /// True when the requested type was replaced because this CPU cannot run
  /// it fast (callers log a warning).
  bool fell_back = false;
};

/// Resolves an option value: "auto" picks the fastest type for `cpu`; a
/// named type is kept when `cpu` runs it fast and otherwise falls back (to
/// int8 for int8_bfloat16, to float32 for the others). Throws
/// std::invalid_argument naming the value when it is no compute type.
compute_choice choose_compute_type(const std::string& requested,
                                   const cpu_features& cpu);

/// What an option value means on a CUDA device: float16, bfloat16 and
/// float32 are kept, "auto" is float16. Throws std::invalid_argument for the
/// int8 types, which have only CPU kernels.
compute_choice choose_cuda_compute_type(const std::string& requested);

} // namespace parley::transformer
