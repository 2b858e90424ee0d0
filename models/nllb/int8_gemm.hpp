#pragma once

#include <cstdint>

namespace parley::nllb {

/// Up to this many input rows (decoding steps, bound by reading the
/// weights), int8_bfloat16 runs int8 products; beyond, bfloat16 ones. Since
/// the oneDNN-packed int8 product (dnnl_int8.hpp), `int8_gemm` itself only
/// serves as the measured baseline (tests' "[int8_shapes]"): it was slower
/// than that product at every row count but one, tied, on the LM head.
constexpr int64_t int8_gemm_max_rows = 4;

/// y = x W^T + b for `m` input rows, with W held as int8 rows and one float
/// scale per row (W[i,j] ~ weights[i*cols + j] * scales[i]). Each input row
/// is quantized to int8 per call. Decoding a few tokens is bound by reading
/// W, and this reads each weight row once for all inputs, at a quarter of
/// the float bytes; libtorch's dynamic int8 kernels reached a third of the
/// memory bandwidth here. Uses AVX2 when the CPU has it; `bias` may be null.
/// `x` is [m, cols] and `y` is [m, rows], both row-major.
void int8_gemm(const int8_t* weights, const float* scales, const float* bias,
               const float* x, float* y, int64_t m, int64_t rows, int64_t cols);

} // namespace parley::nllb
