#include "models/transformer/step_attention.hpp"

#include <ATen/Parallel.h>

namespace parley::transformer {

namespace {

/// Lanes of the partial sums: one AVX-512 register of float32, which the
/// compiler's clones below fill.
constexpr int64_t lanes = 16;

/// scores[j] = factor * (query . keys[j]) for `length` keys `key_stride`
/// floats apart, each of `dim` floats.
[[gnu::target_clones("avx512f", "avx2", "default")]] void
score_keys(const float* query, const float* keys, int64_t key_stride,
           int64_t length, int64_t dim, float factor, float* scores) {
  for (int64_t j = 0; j < length; ++j) {
    const float* key = keys + j * key_stride;
    float partial[lanes] = {};
    int64_t i = 0;
    for (; i + lanes <= dim; i += lanes)
      for (int64_t t = 0; t < lanes; ++t)
        partial[t] += query[i + t] * key[i + t];
    float sum = 0;
    for (; i < dim; ++i)
      sum += query[i] * key[i];
    for (float value : partial)
      sum += value;
    scores[j] = factor * sum;
  }
}

/// out += sum over j of weights[j] * values[j], for `length` values
/// `value_stride` floats apart, each of `dim` floats.
[[gnu::target_clones("avx512f", "avx2", "default")]] void
sum_values(const float* weights, const float* values, int64_t value_stride,
           int64_t length, int64_t dim, float* out) {
  for (int64_t j = 0; j < length; ++j) {
    const float* value = values + j * value_stride;
    float weight = weights[j];
    for (int64_t i = 0; i < dim; ++i)
      out[i] += weight * value[i];
  }
}

/// Calls `body(row, head, pair)` for every (row, head) pair in parallel.
template <typename Body>
void for_each_pair(int64_t rows, int64_t heads, Body&& body) {
  // One pair is a whole row of scores: Whisper's cross-attention has 8
  // pairs of 1,500 keys, which both threads share.
  at::parallel_for(0, rows * heads, 1, [&](int64_t first, int64_t last) {
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
    score_keys(query, key, keys.stride(2), length, head_dim, factor,
               score_data + pair * length);
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
    sum_values(weights, value, values.stride(2), length, head_dim,
               out_data + pair * head_dim);
  });
  return out;
}

} // namespace parley::transformer
