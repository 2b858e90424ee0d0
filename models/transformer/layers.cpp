#include "models/transformer/layers.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <torch/version.h>

#include "models/checkpoint/checkpoint.hpp"
#include "models/torch_tensors.hpp"
#include "models/transformer/step_attention.hpp"

namespace parley::transformer {

namespace {

constexpr double layer_norm_eps = 1e-5;

/// [rows, length, d] -> [rows, heads, length, head dim]
at::Tensor split_heads(const at::Tensor& x, int64_t heads) {
  return x.view({x.size(0), -1, heads, x.size(2) / heads}).transpose(1, 2);
}

/// Attention of `q` over `k` and `v` with scores scaled by `scale` (the
/// head size's inverse square root), heads merged back. On a GPU with
/// libtorch 2.x, one fused scaled_dot_product_attention call (flash or
/// memory-efficient kernels: the scores never reach memory whole); 1.13 has
/// only a private variant, so there and on the CPU, the plain products.
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                  const at::Tensor& mask, double scale) {
#if TORCH_VERSION_MAJOR >= 2
  if (!q.is_cpu()) {
    // Its default scale is the head size's inverse square root: `scale`.
    auto out = at::scaled_dot_product_attention(
        q, k, v,
        mask.defined() ? c10::optional<at::Tensor>(mask.to(q.scalar_type()))
                       : c10::nullopt);
    return out.transpose(1, 2).reshape({q.size(0), q.size(2), -1});
  }
#endif
  auto scores = at::matmul(q * scale, k.transpose(2, 3));
  if (mask.defined())
    scores = scores + mask;
  auto out = at::matmul(at::softmax(scores, -1), v);
  return out.transpose(1, 2).reshape({q.size(0), q.size(2), -1});
}

/// `attend` on the CPU, with its products in `products` (float32, or
/// bfloat16 through oneDNN: AMX or AVX512_BF16), a block of query rows at a
/// time: each block's scores [rows, heads, block, keys] are formed,
/// soft-maxed in float32 and applied to `v` while they are still in cache,
/// so the length x length scores never reach memory whole (Whisper's 1,500
/// x 1,500 per head). Outputs float32.
at::Tensor attend_blocks(const at::Tensor& q, const at::Tensor& k,
                         const at::Tensor& v, const at::Tensor& mask,
                         double scale, at::ScalarType products) {
  // 64 queries x 8 heads x 1,500 keys of float32 scores: 3 MB per block.
  constexpr int64_t block = 64;
  auto rows = q.size(0);
  auto length = q.size(2);
  auto queries = (q * scale).to(products);
  auto keys = k.to(products).transpose(2, 3).contiguous();
  auto values = v.to(products).contiguous();
  auto out = at::empty({rows, length, q.size(1) * q.size(3)}, q.options());
  for (int64_t start = 0; start < length; start += block) {
    auto n = std::min(block, length - start);
    auto scores = at::matmul(queries.narrow(2, start, n), keys).to(at::kFloat);
    if (mask.defined())
      scores = scores + (mask.size(-2) == 1 ? mask : mask.narrow(-2, start, n));
    auto probs = at::softmax(scores, -1).to(products);
    out.narrow(1, start, n)
        .copy_(
            at::matmul(probs, values).transpose(1, 2).reshape({rows, n, -1}));
  }
  return out;
}

/// Whether a step's attention of `q` over `k` goes to attend_one_position:
/// on the CPU, one position per row, several rows, at most 256 keys. There
/// it won (a 16-row NLLB-600M step: 84-85 ms through libtorch against 72-76
/// in alternating runs); with one row it did not: no gain at NLLB's batch
/// 1, and Whisper-base's window (1,500 keys of cross-attention over 8 heads)
/// 20% slower.
bool many_short_steps(const at::Tensor& q, const at::Tensor& k) {
  return q.is_cpu() && q.size(2) == 1 && q.size(0) > 1 && k.size(2) <= 256;
}

at::Tensor feed_forward(const at::Tensor& h, const linear_layer& fc1,
                        const linear_layer& fc2, activation act) {
  auto inner = fc1(h);
  return fc2(act == activation::gelu ? at::gelu(inner) : at::relu(inner));
}

double attention_scale(const layer_spec& spec) {
  return std::pow(static_cast<double>(spec.d_model / spec.heads), -0.5);
}

void place(attention_weights& attention, const placement& where) {
  for (auto* layer : {&attention.q_proj, &attention.k_proj, &attention.v_proj,
                      &attention.out_proj})
    place(*layer, where);
}

} // namespace

void place(linear_layer& layer, const placement& where, bool keep_float) {
  if (where.on_cpu())
    layer.convert(where.type, keep_float);
  else
    layer.to_device(where.device, where.activations());
}

void place(layer_norm_weights& norm, const placement& where) {
  norm.weight = where.place(norm.weight);
  norm.bias = where.place(norm.bias);
}

tensor_reader::tensor_reader(std::shared_ptr<const checkpoint> source)
    : source_(std::move(source)) {
}

at::Tensor tensor_reader::get(const std::string& name,
                              const std::vector<int64_t>& expected) const {
  const auto& view = source_->at(name, expected);
  if (view.dtype == tensor_dtype::i64)
    throw std::runtime_error(source_->dir() + ": tensor " + name
                             + " has dtype I64; expected a float type");
  return to_torch(view, source_);
}

linear_layer tensor_reader::linear(const std::string& prefix, int64_t in,
                                   int64_t out, bool bias) const {
  return {get(prefix + ".weight", {out, in}),
          bias ? get(prefix + ".bias", {out}) : at::Tensor()};
}

layer_norm_weights tensor_reader::norm(const std::string& prefix,
                                       int64_t d) const {
  return {get(prefix + ".weight", {d}), get(prefix + ".bias", {d})};
}

attention_weights tensor_reader::attention(const std::string& prefix,
                                           const layer_spec& spec) const {
  auto d = spec.d_model;
  return {linear(prefix + ".q_proj", d, d),
          linear(prefix + ".k_proj", d, d, spec.key_bias),
          linear(prefix + ".v_proj", d, d), linear(prefix + ".out_proj", d, d)};
}

encoder_layer_weights
tensor_reader::encoder_layer(const std::string& prefix, const layer_spec& spec,
                             const placement& where) const {
  auto d = spec.d_model;
  encoder_layer_weights layer{attention(prefix + ".self_attn", spec),
                              norm(prefix + ".self_attn_layer_norm", d),
                              linear(prefix + ".fc1", d, spec.ffn),
                              linear(prefix + ".fc2", spec.ffn, d),
                              norm(prefix + ".final_layer_norm", d)};
  place(layer.self_attn, where);
  place(layer.self_attn_norm, where);
  place(layer.fc1, where);
  place(layer.fc2, where);
  place(layer.final_norm, where);
  return layer;
}

decoder_layer_weights
tensor_reader::decoder_layer(const std::string& prefix, const layer_spec& spec,
                             const placement& where) const {
  auto d = spec.d_model;
  decoder_layer_weights layer{attention(prefix + ".self_attn", spec),
                              norm(prefix + ".self_attn_layer_norm", d),
                              attention(prefix + ".encoder_attn", spec),
                              norm(prefix + ".encoder_attn_layer_norm", d),
                              linear(prefix + ".fc1", d, spec.ffn),
                              linear(prefix + ".fc2", spec.ffn, d),
                              norm(prefix + ".final_layer_norm", d)};
  place(layer.self_attn, where);
  place(layer.self_attn_norm, where);
  place(layer.cross_attn, where);
  place(layer.cross_attn_norm, where);
  place(layer.fc1, where);
  place(layer.fc2, where);
  place(layer.final_norm, where);
  return layer;
}

at::Tensor tensor_reader::first_of(const std::vector<std::string>& names,
                                   const std::vector<int64_t>& expected) const {
  for (const auto& name : names)
    if (source_->find(name) != nullptr)
      return get(name, expected);
  return get(names.front(), expected); // fails naming the first
}

void kv_cache::select(const at::Tensor& rows) {
  auto on = cross_k.empty() ? rows : rows.to(cross_k.front().device());
  for (auto* caches : {&cross_k, &cross_v, &self_k_room, &self_v_room})
    for (auto& cache : *caches)
      cache = cache.index_select(0, on);
}

void kv_cache::reserve_self(int64_t capacity) {
  self_k_room.clear();
  self_v_room.clear();
  self_length = 0;
  for (const auto& keys : cross_k) {
    auto shape = keys.sizes().vec();
    shape[2] = capacity;
    self_k_room.push_back(at::empty(shape, keys.options()));
    self_v_room.push_back(at::empty(shape, keys.options()));
  }
}

namespace {

/// Appends `k` and `v` (n new positions) to layer `i`'s reserved room,
/// growing it when full; returns the keys and values so far.
std::pair<at::Tensor, at::Tensor> append_to_room(kv_cache& cache, size_t i,
                                                 const at::Tensor& k,
                                                 const at::Tensor& v) {
  auto n = k.size(2);
  auto end = cache.self_length + n;
  auto& keys = cache.self_k_room[i];
  auto& values = cache.self_v_room[i];
  if (end > keys.size(2)) {
    auto grown = std::max(end, 2 * keys.size(2));
    auto shape = keys.sizes().vec();
    shape[2] = grown;
    auto more_keys = at::empty(shape, keys.options());
    auto more_values = at::empty(shape, values.options());
    more_keys.narrow(2, 0, cache.self_length)
        .copy_(keys.narrow(2, 0, cache.self_length));
    more_values.narrow(2, 0, cache.self_length)
        .copy_(values.narrow(2, 0, cache.self_length));
    keys = more_keys;
    values = more_values;
  }
  keys.narrow(2, cache.self_length, n).copy_(k);
  values.narrow(2, cache.self_length, n).copy_(v);
  return {keys.narrow(2, 0, end), values.narrow(2, 0, end)};
}

} // namespace

at::Tensor layer_norm(const at::Tensor& x, const layer_norm_weights& w) {
  return at::layer_norm(x, {x.size(-1)}, w.weight, w.bias, layer_norm_eps);
}

at::Tensor encoder_layers(at::Tensor h,
                          const std::vector<encoder_layer_weights>& layers,
                          const layer_spec& spec, activation act,
                          const at::Tensor& mask) {
  auto heads = spec.heads;
  auto scale = attention_scale(spec);
  for (const auto& layer : layers) {
    // self-attention
    auto x = layer_norm(h, layer.self_attn_norm);
    auto q = split_heads(layer.self_attn.q_proj(x), heads);
    auto k = split_heads(layer.self_attn.k_proj(x), heads);
    auto v = split_heads(layer.self_attn.v_proj(x), heads);
    auto products = spec.bfloat16_attention ? at::kBFloat16 : at::kFloat;
    h = h
        + layer.self_attn.out_proj(
            q.is_cpu() ? attend_blocks(q, k, v, mask, scale, products)
                       : attend(q, k, v, mask, scale));
    // feed-forward
    h = h
        + feed_forward(layer_norm(h, layer.final_norm), layer.fc1, layer.fc2,
                       act);
  }
  return h;
}

void start_cache(kv_cache& cache,
                 const std::vector<decoder_layer_weights>& layers,
                 const layer_spec& spec, const at::Tensor& encoder_out,
                 int64_t self_capacity) {
  cache.cross_k.clear();
  cache.cross_v.clear();
  for (const auto& layer : layers) {
    cache.cross_k.push_back(
        split_heads(layer.cross_attn.k_proj(encoder_out), spec.heads));
    cache.cross_v.push_back(
        split_heads(layer.cross_attn.v_proj(encoder_out), spec.heads));
  }
  cache.reserve_self(self_capacity);
}

at::Tensor decoder_layers(at::Tensor h,
                          const std::vector<decoder_layer_weights>& layers,
                          const layer_spec& spec, activation act,
                          const at::Tensor& self_mask,
                          const at::Tensor& cross_mask, kv_cache* cache,
                          const at::Tensor& encoder_out) {
  auto heads = spec.heads;
  auto scale = attention_scale(spec);
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    // self-attention, over the cache when decoding step by step
    auto x = layer_norm(h, layer.self_attn_norm);
    auto q = split_heads(layer.self_attn.q_proj(x), heads);
    auto k = split_heads(layer.self_attn.k_proj(x), heads);
    auto v = split_heads(layer.self_attn.v_proj(x), heads);
    if (cache != nullptr)
      std::tie(k, v) = append_to_room(*cache, i, k, v);
    auto attention = many_short_steps(q, k) ? attend_one_position : attend;
    h = h + layer.self_attn.out_proj(attention(q, k, v, self_mask, scale));
    // cross-attention over the encoder output
    x = layer_norm(h, layer.cross_attn_norm);
    q = split_heads(layer.cross_attn.q_proj(x), heads);
    at::Tensor ck, cv;
    if (cache != nullptr) {
      ck = cache->cross_k[i];
      cv = cache->cross_v[i];
    } else {
      ck = split_heads(layer.cross_attn.k_proj(encoder_out), heads);
      cv = split_heads(layer.cross_attn.v_proj(encoder_out), heads);
    }
    attention = many_short_steps(q, ck) ? attend_one_position : attend;
    h = h + layer.cross_attn.out_proj(attention(q, ck, cv, cross_mask, scale));
    // feed-forward
    h = h
        + feed_forward(layer_norm(h, layer.final_norm), layer.fc1, layer.fc2,
                       act);
  }
  if (cache != nullptr)
    cache->self_length += h.size(1);
  return h;
}

} // namespace parley::transformer
