#pragma once

#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/model.hpp"

namespace parley::nllb {

struct generation_options {
  /// New tokens after the decoder start token, the forced language included.
  int64_t max_new_tokens = 256;
  /// Longest decoder sequence, start token included; 0 sets no limit beyond
  /// `max_new_tokens`.
  int64_t max_length = 0;
  int64_t num_beams = 1;
  /// Beam scores are sum(log p) / length^length_penalty.
  double length_penalty = 1.0;
  /// No n-gram of this size appears twice in an output; 0 allows repeats.
  int64_t no_repeat_ngram_size = 0;
};

/// A batch to decode: right-padded source ids, their mask, and per row the
/// token forced first (the target language).
struct generation_input {
  at::Tensor ids;
  at::Tensor mask;
  std::vector<int64_t> forced_first;
};

/// Greedy decoding with the KV cache. Rows that finish leave the batch and
/// stop costing compute. Returns per row the decoder tokens: start token,
/// forced token, ..., end of sentence when reached.
std::vector<std::vector<int64_t>>
greedy_search(const model& m, const generation_input& input,
              const generation_options& options);

/// Beam search with `options.num_beams` hypotheses per row; same output as
/// `greedy_search` (the best hypothesis per row).
std::vector<std::vector<int64_t>>
beam_search(const model& m, const generation_input& input,
            const generation_options& options);

/// Greedy or beam search, by `options.num_beams`.
std::vector<std::vector<int64_t>> generate(const model& m,
                                           const generation_input& input,
                                           const generation_options& options);

/// The reference semantics, for checking a checkpoint against recorded
/// outputs: finished rows stay in the batch fed with padding, ids after the
/// end are padding, and the log-probabilities of every step are kept.
struct traced_generation {
  at::Tensor ids;            // [rows, 1 + steps]
  at::Tensor step_log_probs; // [rows, steps, vocab]
};
traced_generation greedy_trace(const model& m, const at::Tensor& encoder_out,
                               const generation_input& input,
                               int64_t max_new_tokens);

/// Reference greedy decoding without any cache: every step runs the whole
/// decoder over all tokens so far. Slow; for checking the cached path.
std::vector<std::vector<int64_t>> greedy_uncached(const model& m,
                                                  const generation_input& input,
                                                  int64_t max_new_tokens);

} // namespace parley::nllb
