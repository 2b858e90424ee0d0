#include "models/nllb/model.hpp"

#include <cmath>
#include <limits>

namespace parley::nllb {

namespace {

constexpr double layer_norm_eps = 1e-5;

at::Tensor layer_norm(const at::Tensor& x, const layer_norm_weights& w) {
  return at::layer_norm(x, {x.size(-1)}, w.weight, w.bias, layer_norm_eps);
}

/// [rows, length, d] -> [rows, heads, length, head dim]
at::Tensor split_heads(const at::Tensor& x, int64_t heads) {
  return x.view({x.size(0), -1, heads, x.size(2) / heads}).transpose(1, 2);
}

/// Turns a 0/1 padding mask [rows, length] into an additive one
/// [rows, 1, 1, length]: 0 where attending is allowed, float min elsewhere.
at::Tensor additive_mask(const at::Tensor& mask) {
  auto blocked = (1.0 - mask.to(at::kFloat)).view({mask.size(0), 1, 1, -1});
  return blocked.masked_fill(blocked.to(at::kBool),
                             std::numeric_limits<float>::lowest());
}

/// Attention of `q` (already scaled) over `k` and `v`, heads merged back.
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                  const at::Tensor& mask) {
  auto scores = at::matmul(q, k.transpose(2, 3));
  if (mask.defined())
    scores = scores + mask;
  auto out = at::matmul(at::softmax(scores, -1), v);
  return out.transpose(1, 2).reshape({q.size(0), q.size(2), -1});
}

at::Tensor feed_forward(const at::Tensor& h, const linear_layer& fc1,
                        const linear_layer& fc2) {
  return fc2(at::relu(fc1(h)));
}

} // namespace

void decoder_state::select(const at::Tensor& rows) {
  cross_mask = cross_mask.index_select(0, rows);
  for (auto* caches : {&cross_k, &cross_v, &self_k, &self_v})
    for (auto& cache : *caches)
      if (cache.defined())
        cache = cache.index_select(0, rows);
}

model::model(std::shared_ptr<const model_weights> weights)
  : weights_(std::move(weights)) {
  const auto& c = weights_->config;
  embed_scale_ = c.scale_embedding ? std::sqrt(static_cast<double>(c.d_model))
                                   : 1.0;
}

at::Tensor model::embed(const at::Tensor& ids,
                        const at::Tensor& positions) const {
  return at::embedding(weights_->shared, ids) * embed_scale_
         + weights_->positions.index_select(0, positions.reshape(-1))
             .view({ids.size(0), ids.size(1), -1});
}

at::Tensor model::encode(const at::Tensor& ids, const at::Tensor& mask) const {
  const auto& c = config();
  // fairseq positions: counted over real tokens, starting at pad + 1.
  auto real = ids.ne(c.pad_id).to(at::kLong);
  auto h = embed(ids, at::cumsum(real, 1) * real + c.pad_id);
  auto self_mask = additive_mask(mask);
  auto scale = std::pow(static_cast<double>(c.d_model / c.encoder_heads), -0.5);
  for (const auto& layer : weights_->encoder) {
    // self-attention
    auto x = layer_norm(h, layer.self_attn_norm);
    auto q = split_heads(layer.self_attn.q_proj(x) * scale, c.encoder_heads);
    auto k = split_heads(layer.self_attn.k_proj(x), c.encoder_heads);
    auto v = split_heads(layer.self_attn.v_proj(x), c.encoder_heads);
    h = h + layer.self_attn.out_proj(attend(q, k, v, self_mask));
    // feed-forward
    h = h + feed_forward(layer_norm(h, layer.final_norm), layer.fc1, layer.fc2);
  }
  return layer_norm(h, weights_->encoder_norm);
}

decoder_state model::start(const at::Tensor& encoder_out,
                           const at::Tensor& mask) const {
  const auto& c = config();
  decoder_state state;
  state.cross_mask = additive_mask(mask);
  for (const auto& layer : weights_->decoder) {
    state.cross_k.push_back(
      split_heads(layer.cross_attn.k_proj(encoder_out), c.decoder_heads));
    state.cross_v.push_back(
      split_heads(layer.cross_attn.v_proj(encoder_out), c.decoder_heads));
  }
  state.self_k.resize(weights_->decoder.size());
  state.self_v.resize(weights_->decoder.size());
  return state;
}

at::Tensor model::decoder_layers(at::Tensor h, const at::Tensor& self_mask,
                                 const at::Tensor& cross_mask,
                                 decoder_state* state,
                                 const at::Tensor& encoder_out) const {
  const auto& c = config();
  auto heads = c.decoder_heads;
  auto scale = std::pow(static_cast<double>(c.d_model / heads), -0.5);
  for (size_t i = 0; i < weights_->decoder.size(); ++i) {
    const auto& layer = weights_->decoder[i];
    // self-attention, over the cache when decoding step by step
    auto x = layer_norm(h, layer.self_attn_norm);
    auto q = split_heads(layer.self_attn.q_proj(x) * scale, heads);
    auto k = split_heads(layer.self_attn.k_proj(x), heads);
    auto v = split_heads(layer.self_attn.v_proj(x), heads);
    if (state != nullptr) {
      if (state->self_k[i].defined()) {
        k = at::cat({state->self_k[i], k}, 2);
        v = at::cat({state->self_v[i], v}, 2);
      }
      state->self_k[i] = k;
      state->self_v[i] = v;
    }
    h = h + layer.self_attn.out_proj(attend(q, k, v, self_mask));
    // cross-attention over the encoder output
    x = layer_norm(h, layer.cross_attn_norm);
    q = split_heads(layer.cross_attn.q_proj(x) * scale, heads);
    at::Tensor ck, cv;
    if (state != nullptr) {
      ck = state->cross_k[i];
      cv = state->cross_v[i];
    } else {
      ck = split_heads(layer.cross_attn.k_proj(encoder_out), heads);
      cv = split_heads(layer.cross_attn.v_proj(encoder_out), heads);
    }
    h = h + layer.cross_attn.out_proj(attend(q, ck, cv, cross_mask));
    // feed-forward
    h = h + feed_forward(layer_norm(h, layer.final_norm), layer.fc1, layer.fc2);
  }
  return weights_->lm_head(layer_norm(h, weights_->decoder_norm));
}

at::Tensor model::step(decoder_state& state, const at::Tensor& tokens) const {
  const auto& c = config();
  auto ids = tokens.view({-1, 1});
  // A real token sits at position pad + 1 + (tokens before it); padding
  // (fed for finished rows) keeps the padding position.
  auto real = ids.ne(c.pad_id).to(at::kLong);
  auto h = embed(ids, real * (state.length + 1) + c.pad_id);
  auto logits = decoder_layers(h, at::Tensor(), state.cross_mask, &state,
                               at::Tensor());
  ++state.length;
  return logits.select(1, 0);
}

at::Tensor model::decode(const at::Tensor& ids, const at::Tensor& encoder_out,
                         const at::Tensor& mask) const {
  const auto& c = config();
  auto rows = ids.size(0);
  auto length = ids.size(1);
  auto real = ids.ne(c.pad_id).to(at::kLong);
  auto h = embed(ids, at::cumsum(real, 1) * real + c.pad_id);
  auto causal = at::full({length, length}, std::numeric_limits<float>::lowest())
                  .triu(1)
                  .view({1, 1, length, length})
                  .expand({rows, 1, length, length});
  auto cross_mask = additive_mask(mask).expand(
    {rows, 1, length, mask.size(1)});
  return decoder_layers(h, causal, cross_mask, nullptr, encoder_out);
}

int64_t model::step_weight_bytes() const {
  int64_t bytes = weights_->lm_head.weight_bytes();
  for (const auto& layer : weights_->decoder) {
    for (const auto* linear :
         {&layer.self_attn.q_proj, &layer.self_attn.k_proj,
          &layer.self_attn.v_proj, &layer.self_attn.out_proj,
          &layer.cross_attn.q_proj, &layer.cross_attn.out_proj, &layer.fc1,
          &layer.fc2})
      bytes += linear->weight_bytes();
  }
  return bytes;
}

} // namespace parley::nllb
