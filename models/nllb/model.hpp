#pragma once

#include <memory>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/weights.hpp"

namespace parley::nllb {

/// The per-request side of decoding (CTranslate2's split: the model is
/// immutable and shared, this state belongs to one batch of sentences): the
/// layers' keys and values, plus
struct decoder_state : transformer::kv_cache {
  /// the additive cross-attention mask [rows, 1, 1, source length],
  at::Tensor cross_mask;
  /// and the tokens decoded so far, the start token included.
  int64_t length = 0;

  /// Keeps the given rows, in that order: finished rows stop costing
  /// compute, and beam search reorders its hypotheses.
  void select(const at::Tensor& rows);
};

/// An M2M100/NLLB encoder-decoder, read-only after construction. The math
/// follows the Hugging Face implementation: pre-LayerNorm layers, sqrt(d)
/// embedding scale, fairseq sinusoidal positions offset by pad + 1, final
/// LayerNorms, an LM head tied to the embedding.
class model {
public:
  explicit model(std::shared_ptr<const model_weights> weights);

  const model_config& config() const {
    return weights_->config;
  }

  /// Final encoder states [rows, length, d] of right-padded `ids`; `mask` is
  /// 1 on tokens and 0 on padding.
  at::Tensor encode(const at::Tensor& ids, const at::Tensor& mask) const;

  /// Prepares decoding over `encoder_out`: the cross-attention keys and
  /// values of every layer, once.
  decoder_state start(const at::Tensor& encoder_out,
                      const at::Tensor& mask) const;

  /// One decoding step: `tokens` [rows] are the newest tokens. Returns the
  /// logits [rows, vocab] and extends the self-attention caches.
  at::Tensor step(decoder_state& state, const at::Tensor& tokens) const;

  /// The same step when the next ids are decided elsewhere (the forced
  /// target-language token): extends the caches, computes no logits.
  void feed(decoder_state& state, const at::Tensor& tokens) const;

  /// The same step for greedy search: returns each row's best next id,
  /// never one of banned[row], without writing the logits whole.
  std::vector<int64_t> step_greedy(decoder_state& state,
                                   const at::Tensor& tokens,
                                   const banned_ids& banned) const;

  /// Teacher-forced logits [rows, length, vocab] for `ids` in one pass, with
  /// a causal mask and no cache.
  at::Tensor decode(const at::Tensor& ids, const at::Tensor& encoder_out,
                    const at::Tensor& mask) const;

  /// Where it runs. Its methods take ids and masks on any device and
  /// return tensors on this one (logits in float32).
  const transformer::placement& where() const {
    return where_;
  }

  /// Bytes of weights one decoding step reads (cross-attention keys and
  /// values excluded: they are computed once per batch).
  int64_t step_weight_bytes() const;

private:
  at::Tensor embed(const at::Tensor& ids, const at::Tensor& positions) const;
  /// The decoder's normed last states [rows, d] for one step.
  at::Tensor step_states(decoder_state& state, const at::Tensor& tokens) const;
  /// The decoder layers and the final layer norm: the LM head's input.
  at::Tensor decoder_layers(at::Tensor h, const at::Tensor& self_mask,
                            const at::Tensor& cross_mask, decoder_state* state,
                            const at::Tensor& encoder_out) const;

  std::shared_ptr<const model_weights> weights_;
  transformer::placement where_;
  double embed_scale_ = 1.0;
};

} // namespace parley::nllb
