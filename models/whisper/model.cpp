#include "models/whisper/model.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace parley::whisper {

using transformer::layer_norm;

namespace {

/// Additive mask [1, 1, n, past + n] letting each of n new tokens see the
/// `past` cached ones and the new ones up to itself, of the activations' type
/// and device.
at::Tensor causal_mask(int64_t past, int64_t n,
                       const transformer::placement& where) {
  return at::full({n, past + n}, std::numeric_limits<float>::lowest(),
                  at::TensorOptions().device(where.device))
      .triu(past + 1)
      .to(where.activations())
      .view({1, 1, n, past + n});
}

/// Self-attention positions reserved per row before decoding, so that no
/// step copies the past; the room doubles beyond. A GPU gets room for the
/// prompt and a whole window's tokens; the CPU starts smaller, since every
/// replica's beams hold their room.
int64_t self_capacity(const transformer::placement& where) {
  return where.on_cpu() ? 64 : 256;
}

/// Logits as the search reads them: float32 rows on the CPU, where the
/// suppression and timestamp rules run.
at::Tensor for_search(const at::Tensor& logits) {
  return logits.to(at::kFloat).cpu();
}

} // namespace

model::model(std::shared_ptr<const model_weights> weights)
    : weights_(std::move(weights)), where_(weights_->where()) {
}

at::Tensor model::encode(const at::Tensor& host_mel) const {
  const auto& c = config();
  const auto& w = *weights_;
  if (host_mel.dim() != 3 || host_mel.size(1) != c.num_mel_bins
      || host_mel.size(2) > c.input_frames())
    throw std::invalid_argument(
        "whisper encoder: expected log-mel features [rows, "
        + std::to_string(c.num_mel_bins) + ", at most "
        + std::to_string(c.input_frames()) + "]");
  auto mel = host_mel.to(where_.device, where_.activations());
  // convolutional stem: GELU after each, the second halves the frames
  auto x = at::gelu(at::conv1d(mel, w.conv1.weight, w.conv1.bias, /*stride=*/1,
                               /*padding=*/1));
  x = at::gelu(at::conv1d(x, w.conv2.weight, w.conv2.bias, /*stride=*/2,
                          /*padding=*/1));
  // audio positions
  auto h = x.transpose(1, 2)
           + w.encoder_positions.narrow(0, 0, x.size(2)).unsqueeze(0);
  auto spec = encoder_spec(c);
  spec.bfloat16_attention = transformer::uses_bfloat16(w.type);
  h = transformer::encoder_layers(h, w.encoder, spec,
                                  transformer::activation::gelu, at::Tensor());
  return layer_norm(h, w.encoder_norm);
}

decoder_state model::start(const at::Tensor& encoder_out) const {
  decoder_state state;
  transformer::start_cache(state, weights_->decoder, decoder_spec(config()),
                           encoder_out, self_capacity(where_));
  return state;
}

at::Tensor model::decoder_layers(at::Tensor h, const at::Tensor& self_mask,
                                 decoder_state* state,
                                 const at::Tensor& encoder_out) const {
  h = transformer::decoder_layers(h, weights_->decoder, decoder_spec(config()),
                                  transformer::activation::gelu, self_mask,
                                  at::Tensor(), state, encoder_out);
  return layer_norm(h, weights_->decoder_norm);
}

at::Tensor model::step(decoder_state& state,
                       const at::Tensor& host_tokens) const {
  const auto& c = config();
  auto tokens = host_tokens.to(where_.device);
  auto n = tokens.size(1);
  if (state.length + n > c.max_target_positions)
    throw std::length_error("whisper decoder: more than "
                            + std::to_string(c.max_target_positions)
                            + " tokens");
  // token embeddings plus learned positions after the cached ones
  auto h =
      at::embedding(weights_->embed_tokens, tokens)
      + weights_->decoder_positions.narrow(0, state.length, n).unsqueeze(0);
  auto mask = n > 1 ? causal_mask(state.length, n, where_) : at::Tensor();
  h = decoder_layers(h, mask, &state, at::Tensor());
  state.length += n;
  // only the last position is projected onto the vocabulary
  return for_search(weights_->proj_out(h.select(1, n - 1).contiguous()));
}

at::Tensor model::decode(const at::Tensor& host_ids,
                         const at::Tensor& encoder_out) const {
  auto ids = host_ids.to(where_.device);
  auto n = ids.size(1);
  if (n > config().max_target_positions)
    throw std::length_error("whisper decoder: more than "
                            + std::to_string(config().max_target_positions)
                            + " tokens");
  auto h = at::embedding(weights_->embed_tokens, ids)
           + weights_->decoder_positions.narrow(0, 0, n).unsqueeze(0);
  h = decoder_layers(h, causal_mask(0, n, where_), nullptr, encoder_out);
  return for_search(weights_->proj_out(h));
}

} // namespace parley::whisper
