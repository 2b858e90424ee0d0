#include "models/nllb/model.hpp"

#include <cmath>
#include <limits>

namespace parley::nllb {

using transformer::layer_norm;

namespace {

/// Turns a 0/1 padding mask [rows, length] into an additive one
/// [rows, 1, 1, length] of the activations' type and device: 0 where
/// attending is allowed, float min elsewhere (minus infinity in float16).
at::Tensor additive_mask(const at::Tensor& mask,
                         const transformer::placement& where) {
  auto blocked =
      (1.0 - mask.to(where.device, at::kFloat)).view({mask.size(0), 1, 1, -1});
  return blocked
      .masked_fill(blocked.to(at::kBool), std::numeric_limits<float>::lowest())
      .to(where.activations());
}

/// Self-attention positions reserved per row before decoding; the room
/// doubles when a decoding outgrows it, so no step copies the past (growing
/// the cache by concatenation was the largest cost of a 16-row step on the
/// CPU). A GPU gets room for most decodings at once; the CPU starts smaller,
/// since every replica's batch holds its room.
int64_t self_capacity(const transformer::placement& where) {
  return where.on_cpu() ? 32 : 128;
}

} // namespace

void decoder_state::select(const at::Tensor& rows) {
  cross_mask = cross_mask.index_select(0, rows.to(cross_mask.device()));
  kv_cache::select(rows);
}

model::model(std::shared_ptr<const model_weights> weights)
    : weights_(std::move(weights)), where_(weights_->where()) {
  const auto& c = weights_->config;
  embed_scale_ =
      c.scale_embedding ? std::sqrt(static_cast<double>(c.d_model)) : 1.0;
}

at::Tensor model::embed(const at::Tensor& ids,
                        const at::Tensor& positions) const {
  return at::embedding(weights_->shared, ids) * embed_scale_
         + weights_->positions.index_select(0, positions.reshape(-1))
               .view({ids.size(0), ids.size(1), -1});
}

at::Tensor model::encode(const at::Tensor& host_ids,
                         const at::Tensor& mask) const {
  const auto& c = config();
  auto ids = host_ids.to(where_.device);
  // fairseq positions: counted over real tokens, starting at pad + 1.
  auto real = ids.ne(c.pad_id).to(at::kLong);
  auto h = embed(ids, at::cumsum(real, 1) * real + c.pad_id);
  h = transformer::encoder_layers(h, weights_->encoder, encoder_spec(c),
                                  transformer::activation::relu,
                                  additive_mask(mask, where_));
  return layer_norm(h, weights_->encoder_norm);
}

decoder_state model::start(const at::Tensor& encoder_out,
                           const at::Tensor& mask) const {
  const auto& c = config();
  decoder_state state;
  state.cross_mask = additive_mask(mask, where_);
  transformer::start_cache(state, weights_->decoder, decoder_spec(c),
                           encoder_out, self_capacity(where_));
  return state;
}

at::Tensor model::decoder_layers(at::Tensor h, const at::Tensor& self_mask,
                                 const at::Tensor& cross_mask,
                                 decoder_state* state,
                                 const at::Tensor& encoder_out) const {
  h = transformer::decoder_layers(h, weights_->decoder, decoder_spec(config()),
                                  transformer::activation::relu, self_mask,
                                  cross_mask, state, encoder_out);
  return layer_norm(h, weights_->decoder_norm);
}

at::Tensor model::step_states(decoder_state& state,
                              const at::Tensor& tokens) const {
  const auto& c = config();
  auto ids = tokens.to(where_.device).view({-1, 1});
  // A real token sits at position pad + 1 + (tokens before it); padding
  // (fed for finished rows) keeps the padding position.
  auto real = ids.ne(c.pad_id).to(at::kLong);
  auto h = embed(ids, real * (state.length + 1) + c.pad_id);
  auto states =
      decoder_layers(h, at::Tensor(), state.cross_mask, &state, at::Tensor());
  ++state.length;
  return states.select(1, 0);
}

at::Tensor model::step(decoder_state& state, const at::Tensor& tokens) const {
  return weights_->lm_head.logits(step_states(state, tokens));
}

void model::feed(decoder_state& state, const at::Tensor& tokens) const {
  step_states(state, tokens);
}

std::vector<int64_t> model::step_greedy(decoder_state& state,
                                        const at::Tensor& tokens,
                                        const banned_ids& banned) const {
  return weights_->lm_head.best_ids(step_states(state, tokens), banned);
}

at::Tensor model::decode(const at::Tensor& host_ids,
                         const at::Tensor& encoder_out,
                         const at::Tensor& mask) const {
  const auto& c = config();
  auto ids = host_ids.to(where_.device);
  auto rows = ids.size(0);
  auto length = ids.size(1);
  auto real = ids.ne(c.pad_id).to(at::kLong);
  auto h = embed(ids, at::cumsum(real, 1) * real + c.pad_id);
  auto causal = at::full({length, length}, std::numeric_limits<float>::lowest(),
                         at::TensorOptions().device(where_.device))
                    .triu(1)
                    .to(where_.activations())
                    .view({1, 1, length, length})
                    .expand({rows, 1, length, length});
  auto cross_mask =
      additive_mask(mask, where_).expand({rows, 1, length, mask.size(1)});
  return weights_->lm_head.logits(
      decoder_layers(h, causal, cross_mask, nullptr, encoder_out));
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
