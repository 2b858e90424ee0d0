#pragma once

#include <cstdint>

namespace parley::nllb {

/// Up to this many input rows (decoding steps, up to 64-row batches),
/// int8_bfloat16 runs int8 products; beyond (the encoder), bfloat16 ones.
/// The oneDNN-packed int8 product (dnnl_int8.hpp) beat bfloat16 at 16 and 64
/// rows with AMX (0.26 against 0.64 ms and 0.54 against 1.11 ms on 64 x 1024
/// x 4096) and without it (0.37 against 0.90, 1.42 against 2.86 on Zen 4);
/// at 4 rows, the earlier split, a 16-row NLLB-600M step took 100 ms
/// against 69. Since that product, `int8_gemm` itself only serves as the
/// measured baseline (tests' "[int8_shapes]"): it was slower than that
/// product at every row count but one, tied, on the LM head.
constexpr int64_t int8_gemm_max_rows = 64;

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
