#pragma once

#include <memory>

#include <ATen/ATen.h>

#include "models/nllb/dnnl_int8.hpp"
#include "models/nllb/packed_float.hpp"

#include "models/transformer/compute_type.hpp"

namespace parley::nllb {

using transformer::compute_type;

/// A Linear layer: y = x W^T + b. With int8 it keeps the weight quantized
/// per output channel and quantizes activations per call (dynamic
/// quantization); decoding reads a quarter of the bytes. With bfloat16 it
/// keeps a bfloat16 weight and runs the product through oneDNN.
class linear_layer {
public:
  linear_layer() = default;
  linear_layer(at::Tensor weight, at::Tensor bias);

  /// Replaces the float weight by an int8 one; the float copy is dropped
  /// unless `keep_float` (a tied embedding still needs it).
  void quantize(bool keep_float = false);

  /// Holds the weight as `type` needs it (see compute_type); the float copy
  /// is dropped unless `keep_float`.
  void convert(compute_type type, bool keep_float = false);

  /// Moves the weight and bias to a GPU `device` in `dtype` (float16,
  /// bfloat16 or float32); products then run there through at::linear, on
  /// inputs of that type, and the CPU kernels below stay unused.
  void to_device(c10::Device device, at::ScalarType dtype);

  at::Tensor operator()(const at::Tensor& x) const;

  const at::Tensor& weight() const {
    return weight_;
  }

  bool quantized() const {
    return int8_rows_.defined();
  }

  /// Bytes of weights one call on a few input rows (a decoding step) reads.
  int64_t weight_bytes() const;

private:
  at::Tensor weight_;
  at::Tensor bias_;
  /// The int8 weights as plain rows with their scales (the source of the
  /// packed copy and of int8_bfloat16's widened weights).
  at::Tensor int8_rows_;
  at::Tensor row_scales_;
  /// The same int8 weights packed once for oneDNN: every int8 product.
  std::shared_ptr<const dnnl_int8_weight> dnnl_int8_;
  /// The weight in bfloat16, for oneDNN's bfloat16 products; with
  /// int8_bfloat16, it serves inputs of more than int8_gemm_max_rows rows.
  at::Tensor bf16_weight_;
  /// float32: the weight packed once for oneDNN, for inputs of several
  /// rows (one row stays a matrix-vector product on `weight_`).
  std::shared_ptr<const packed_float_weight> packed_float_;
  int64_t packed_bytes_ = 0;
};

/// Picks the best quantized engine this libtorch build offers for the CPU
/// (oneDNN, then FBGEMM, then QNNPACK). Returns its name.
const char* select_quantized_engine();

} // namespace parley::nllb
