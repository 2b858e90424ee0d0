#include "models/torch_tensors.hpp"

#include <stdexcept>

namespace parley {

namespace {

at::Tensor wrap(const tensor_view& view, std::shared_ptr<const void> owner,
                at::ScalarType type, size_t alignment) {
  auto* data = const_cast<void*>(view.data);
  if (reinterpret_cast<uintptr_t>(data) % alignment != 0)
    return at::from_blob(data, view.shape, type).clone();
  // The mapping is read-only; nothing in Parley writes to weights.
  return at::from_blob(
      data, view.shape, [owner](void*) {}, type);
}

} // namespace

at::Tensor to_torch(const tensor_view& view,
                    std::shared_ptr<const void> owner) {
  auto* data = const_cast<void*>(view.data);
  switch (view.dtype) {
  case tensor_dtype::f32:
    return wrap(view, std::move(owner), at::kFloat, alignof(float));
  case tensor_dtype::i64:
    return wrap(view, std::move(owner), at::kLong, alignof(int64_t));
  case tensor_dtype::f16:
    return at::from_blob(data, view.shape, at::kHalf).to(at::kFloat);
  case tensor_dtype::bf16:
    return at::from_blob(data, view.shape, at::kBFloat16).to(at::kFloat);
  default:
    throw std::runtime_error(view.name + " has dtype " + to_string(view.dtype)
                             + "; expected F32, F16, BF16 or I64");
  }
}

} // namespace parley
