#pragma once

// Int8 weights reordered once, at load, for oneDNN's int8 matrix product
// (AMX-INT8 where the CPU has it, AVX-512 VNNI otherwise: oneDNN picks).

#include <cstdint>
#include <memory>
#include <string>

namespace parley::nllb {

/// W ~ weights[i*in + j] * scales[i] ([out, in], symmetric int8 per output
/// channel) held in the layout oneDNN's int8 kernels read. Each call
/// quantizes every input row to int8 on its own scale (max |x| / 127), so
/// that a row with large values does not coarsen the others; oneDNN applies
/// the weight scales on its output, Parley the row scales and the bias.
/// Immutable once built; `apply` may run from several threads at once.
class dnnl_int8_weight {
public:
  /// Copies `weights` (row-major [out, in], values in [-127, 127]) and
  /// `scales` ([out]).
  dnnl_int8_weight(const int8_t* weights, const float* scales, int64_t out,
                   int64_t in);
  ~dnnl_int8_weight();
  dnnl_int8_weight(const dnnl_int8_weight&) = delete;
  dnnl_int8_weight& operator=(const dnnl_int8_weight&) = delete;

  /// y = x W^T + bias for `m` rows: `x` [m, in] and `y` [m, out],
  /// row-major; `bias` [out] may be null.
  void apply(const float* x, const float* bias, float* y, int64_t m) const;

  /// Bytes of the packed weight (with oneDNN's compensation terms).
  int64_t bytes() const;

  /// The kernel oneDNN chose for `m` rows (e.g. "brg:avx512_core_vnni").
  std::string kernel(int64_t m) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace parley::nllb
