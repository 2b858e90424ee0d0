#pragma once

// The torch-free vocabulary of checkpoints: element types, tensor views into
// mapped files, tensor descriptions for writers, and the error they all throw.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley {

/// Element type of a stored tensor (the safetensors dtypes Parley reads).
enum class tensor_dtype { f32, f16, bf16, f64, i64, i32, i16, i8, u8, boolean };

/// Bytes per element of `dtype`.
size_t dtype_size(tensor_dtype dtype);

/// The safetensors name of `dtype`: "F32", "F16", "BF16", "I64", "BOOL", …
std::string to_string(tensor_dtype dtype);

/// The dtype named `name` in a safetensors header, or nullopt if unknown.
std::optional<tensor_dtype> dtype_from_string(const std::string& name);

/// Product of `shape`; 1 for a scalar.
int64_t shape_numel(const std::vector<int64_t>& shape);

/// `shape` as text, e.g. "[1006, 32]".
std::string shape_to_string(const std::vector<int64_t>& shape);

/// A tensor inside a mapped file; valid while its file is alive.
struct tensor_view {
  std::string name;
  tensor_dtype dtype = tensor_dtype::f32;
  std::vector<int64_t> shape;
  /// Little-endian elements, row-major. 8-byte aligned when the writer padded
  /// its header as the reference writer does.
  const void* data = nullptr;
  size_t bytes = 0;

  int64_t numel() const;
};

/// What a writer needs to know about a tensor before its bytes arrive.
struct tensor_spec {
  std::string name;
  tensor_dtype dtype = tensor_dtype::f32;
  std::vector<int64_t> shape;

  /// numel × dtype_size.
  size_t bytes() const;
};

/// Thrown for any unreadable or unwritable checkpoint; the message names the
/// file and the problem.
class checkpoint_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace parley
