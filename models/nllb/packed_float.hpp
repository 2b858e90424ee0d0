#pragma once

// A float32 weight reordered once, at load, into oneDNN's blocked layout,
// so that products on it skip the packing a BLAS does on every call.

#include <cstdint>
#include <memory>

namespace parley::nllb {

/// W [out, in] held in the layout oneDNN's AVX-512 matrix kernels read.
/// Measured on the AMD EPYC (Zen 5) development machine, 2 threads: 16x1024
/// by 1024x4096 took 0.64 ms against OpenBLAS's 1.8 ms, and the 256206-wide
/// LM head at 16 rows 93 against 249 ms, because OpenBLAS packs the weight
/// again on every call (ONNX Runtime packs its constant weights once too).
/// Immutable once built; `apply` may run from several threads at once.
class packed_float_weight {
public:
  /// Copies `w` (row-major [out, in]) into the packed layout.
  packed_float_weight(const float* w, int64_t out, int64_t in);
  ~packed_float_weight();
  packed_float_weight(const packed_float_weight&) = delete;
  packed_float_weight& operator=(const packed_float_weight&) = delete;

  /// y = x W^T + bias for `m` rows: `x` [m, in] and `y` [m, out],
  /// row-major; `bias` [out] may be null.
  void apply(const float* x, const float* bias, float* y, int64_t m) const;

  /// Bytes of the packed weight.
  int64_t bytes() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace parley::nllb
