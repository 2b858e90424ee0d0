#pragma once

#include <memory>

#include <ATen/ATen.h>

#include "models/checkpoint/tensor.hpp"

namespace parley {

/// A checkpoint tensor as a libtorch tensor. Aligned F32 and I64 data are
/// used in place, kept alive by `owner`; F16 and BF16 are converted to F32;
/// other types are refused with std::runtime_error naming the tensor.
at::Tensor to_torch(const tensor_view& view, std::shared_ptr<const void> owner);

} // namespace parley
