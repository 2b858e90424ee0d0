#include "models/transformer/step_attention.hpp"

#include <ATen/Parallel.h>

namespace parley::transformer {

namespace {

/// Lanes of the partial sums: one AVX-512 register of float32, which the
/// compiler's clones below fill.
constexpr int64_t lanes = 16;

[[gnu::target_clones("avx512f", "avx2", "default")]] float
dot(const float* a, const float* b, int64_t n) {
  float partial[lanes] = {};
  int64_t i = 0;
  for (; i + lanes <= n; i += lanes)
    for (int64_t t = 0; t < lanes; ++t)
      partial[t] += a[i + t] * b[i + t];
  float sum = 0;
  for (; i < n; ++i)
    sum += a[i] * b[i];
  for (float value : partial)
    sum += value;
  return sum;
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void
add_scaled(float* out, const float* x, float weight, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    out[i] += weight * x[i];
}

/// Calls `body(row, head, pair)` for every (row, head) pair in parallel.
template <typename Body>
void for_each_pair(int64_t rows, int64_t heads, Body&& body) {
  at::parallel_for(0, rows * heads, 16, [&](int64_t first, int64_t last) {
    for (int64_t pair = first; pair < last; ++pair)
      body(pair / heads, pair % heads, pair);
  });
}

} // namespace

at::Tensor attend_one_position(const at::Tensor& q, const at::Tensor& k,
                               const at::Tensor& v, const at::Tensor& mask,
                               double scale) {
  auto rows = q.size(0);
  auto heads = q.size(1);
  auto head_dim = q.size(3);
  auto length = k.size(2);
  auto keys = k.stride(3) == 1 ? k : k.contiguous();
  auto values = v.stride(3) == 1 ? v : v.contiguous();
  auto queries = q.contiguous();
  const float* q_data = queries.data_ptr<float>();
  const float* k_data = keys.data_ptr<float>();
  const float* v_data = values.data_ptr<float>();
  auto scores = at::empty({rows, heads, length}, q.options());
  float* score_data = scores.data_ptr<float>();
  auto factor = static_cast<float>(scale);
  for_each_pair(rows, heads, [&](int64_t row, int64_t head, int64_t pair) {
    const float* query = q_data + pair * head_dim;
    const float* key = k_data + row * keys.stride(0) + head * keys.stride(1);
    float* out = score_data + pair * length;
    for (int64_t j = 0; j < length; ++j)
      out[j] = factor * dot(query, key + j * keys.stride(2), head_dim);
  });
  if (mask.defined())
    scores.add_(mask.reshape({mask.size(0), 1, length}));
  auto probs = at::softmax(scores, -1);
  const float* prob_data = probs.data_ptr<float>();
  auto out = at::zeros({rows, 1, heads * head_dim}, q.options());
  float* out_data = out.data_ptr<float>();
  for_each_pair(rows, heads, [&](int64_t row, int64_t head, int64_t pair) {
    const float* weights = prob_data + pair * length;
    const float* value =
        v_data + row * values.stride(0) + head * values.stride(1);
    float* sum = out_data + pair * head_dim;
    for (int64_t j = 0; j < length; ++j)
      add_scaled(sum, value + j * values.stride(2), weights[j], head_dim);
  });
  return out;
}

} // namespace parley::transformer
