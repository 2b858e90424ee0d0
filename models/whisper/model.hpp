#pragma once

#include <memory>
#include <vector>

#include <ATen/ATen.h>

#include "models/whisper/weights.hpp"

namespace parley::whisper {

/// The per-request side of decoding (CTranslate2's split: the model is
/// immutable and shared, this state belongs to one window's hypotheses): the
/// layers' keys and values, and the tokens fed so far (the positions taken).
/// `select` keeps the given rows: beam search reorders and widens its
/// hypotheses with it.
struct decoder_state : transformer::kv_cache {
  int64_t length = 0;
};

/// A Whisper encoder-decoder, read-only after construction. The math follows
/// the reference implementation: two GELU convolutions and learned audio
/// positions, pre-LayerNorm layers, learned text positions, final
/// LayerNorms, an output projection tied to the token embedding.
class model {
public:
  explicit model(std::shared_ptr<const model_weights> weights);

  const model_config& config() const {
    return weights_->config;
  }

  /// Encoder states [rows, frames / 2, d] of log-mel features
  /// [rows, mel bins, frames]; at most `config().input_frames()` frames.
  /// Inputs may be on any device; the states stay on the model's.
  at::Tensor encode(const at::Tensor& mel) const;

  /// Prepares decoding over `encoder_out`: the cross-attention keys and
  /// values of every layer, once.
  decoder_state start(const at::Tensor& encoder_out) const;

  /// Feeds `tokens` [rows, n] after the `state.length` tokens already in the
  /// cache. Returns the logits [rows, vocab] of the last one, in float32 on
  /// the CPU where the search's logit rules run, and extends the
  /// self-attention caches by n.
  at::Tensor step(decoder_state& state, const at::Tensor& tokens) const;

  /// Teacher-forced logits [rows, length, vocab] for `ids` in one pass, with
  /// a causal mask and no cache (float32, on the CPU).
  at::Tensor decode(const at::Tensor& ids, const at::Tensor& encoder_out) const;

  const transformer::placement& where() const {
    return where_;
  }

private:
  at::Tensor decoder_layers(at::Tensor h, const at::Tensor& self_mask,
                            decoder_state* state,
                            const at::Tensor& encoder_out) const;

  std::shared_ptr<const model_weights> weights_;
  transformer::placement where_;
};

} // namespace parley::whisper
