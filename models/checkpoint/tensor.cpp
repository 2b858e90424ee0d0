#include "models/checkpoint/tensor.hpp"

#include <array>
#include <utility>

namespace parley {

namespace {

struct dtype_entry {
  tensor_dtype dtype;
  const char* name;
  size_t size;
};

constexpr std::array<dtype_entry, 10> dtype_table = {{
    {tensor_dtype::f32, "F32", 4},
    {tensor_dtype::f16, "F16", 2},
    {tensor_dtype::bf16, "BF16", 2},
    {tensor_dtype::f64, "F64", 8},
    {tensor_dtype::i64, "I64", 8},
    {tensor_dtype::i32, "I32", 4},
    {tensor_dtype::i16, "I16", 2},
    {tensor_dtype::i8, "I8", 1},
    {tensor_dtype::u8, "U8", 1},
    {tensor_dtype::boolean, "BOOL", 1},
}};

const dtype_entry& entry(tensor_dtype dtype) {
  for (const auto& e : dtype_table)
    if (e.dtype == dtype)
      return e;
  throw std::invalid_argument("unknown tensor_dtype");
}

} // namespace

size_t dtype_size(tensor_dtype dtype) {
  return entry(dtype).size;
}

std::string to_string(tensor_dtype dtype) {
  return entry(dtype).name;
}

std::optional<tensor_dtype> dtype_from_string(const std::string& name) {
  for (const auto& e : dtype_table)
    if (name == e.name)
      return e.dtype;
  return std::nullopt;
}

int64_t shape_numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

std::string shape_to_string(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0)
      text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

int64_t tensor_view::numel() const {
  return shape_numel(shape);
}

size_t tensor_spec::bytes() const {
  return static_cast<size_t>(shape_numel(shape)) * dtype_size(dtype);
}

} // namespace parley
