#include "models/nllb/int8_gemm.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <ATen/Parallel.h>
#include <immintrin.h>

namespace parley::nllb {

namespace {

/// Rows per parallel task: enough work to be worth a thread hand-off.
constexpr int64_t grain_rows = 256;

int32_t dot_scalar(const int8_t* w, const int8_t* x, int64_t n) {
  int32_t sum = 0;
  for (int64_t j = 0; j < n; ++j)
    sum += static_cast<int32_t>(w[j]) * x[j];
  return sum;
}

__attribute__((target("avx2"))) int32_t
dot_avx2(const int8_t* w, const int8_t* x, const uint8_t* x_abs, int64_t n) {
  auto ones = _mm256_set1_epi16(1);
  auto acc = _mm256_setzero_si256();
  int64_t j = 0;
  for (; j + 32 <= n; j += 32) {
    auto wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + j));
    auto xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + j));
    auto av = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x_abs + j));
    // |x| * (w with the sign of x) = x * w; values stay within [-127, 127],
    // so the pairwise int16 sums cannot saturate.
    auto products = _mm256_maddubs_epi16(av, _mm256_sign_epi8(wv, xv));
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(products, ones));
  }
  auto low = _mm256_castsi256_si128(acc);
  auto high = _mm256_extracti128_si256(acc, 1);
  auto sum4 = _mm_add_epi32(low, high);
  sum4 = _mm_hadd_epi32(sum4, sum4);
  sum4 = _mm_hadd_epi32(sum4, sum4);
  return _mm_cvtsi128_si32(sum4) + dot_scalar(w + j, x + j, n - j);
}

bool has_avx2() {
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
}

} // namespace

void int8_gemm(const int8_t* weights, const float* scales, const float* bias,
               const float* x, float* y, int64_t m, int64_t rows,
               int64_t cols) {
  // Symmetric per-call quantization of every input row.
  std::vector<float> x_scales(static_cast<size_t>(m));
  std::vector<int8_t> xq(static_cast<size_t>(m * cols));
  std::vector<uint8_t> x_abs(static_cast<size_t>(m * cols));
  for (int64_t r = 0; r < m; ++r) {
    const float* in = x + r * cols;
    float max_abs = 0;
    for (int64_t j = 0; j < cols; ++j)
      max_abs = std::max(max_abs, std::fabs(in[j]));
    auto scale = max_abs > 0 ? max_abs / 127.0f : 1.0f;
    x_scales[r] = scale;
    for (int64_t j = 0; j < cols; ++j) {
      auto q =
          std::clamp(static_cast<int>(std::lround(in[j] / scale)), -127, 127);
      xq[r * cols + j] = static_cast<int8_t>(q);
      x_abs[r * cols + j] = static_cast<uint8_t>(std::abs(q));
    }
  }
  bool avx2 = has_avx2();
  at::parallel_for(0, rows, grain_rows, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      // One weight row, read once, against every input row.
      const int8_t* row = weights + i * cols;
      auto offset = bias != nullptr ? bias[i] : 0.0f;
      for (int64_t r = 0; r < m; ++r) {
        const int8_t* in = xq.data() + r * cols;
        auto sum = avx2 ? dot_avx2(row, in, x_abs.data() + r * cols, cols)
                        : dot_scalar(row, in, cols);
        y[r * rows + i] =
            static_cast<float>(sum) * scales[i] * x_scales[r] + offset;
      }
    }
  });
}

} // namespace parley::nllb
