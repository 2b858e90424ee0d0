#pragma once

#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/whisper/model.hpp"

namespace parley::whisper {

/// Which tokens decoding may sample: Whisper's logit filters (SuppressBlank,
/// SuppressTokens, ApplyTimestampRules), applied before every choice.
struct logit_rules {
  /// Never sampled (non-speech symbols, control tokens).
  std::vector<int64_t> suppress;
  /// Not sampled first (the blank: the space token and <|endoftext|>).
  std::vector<int64_t> begin_suppress;
  /// <|0.00|> when sampling timestamps, else -1 (no timestamp rules).
  int64_t timestamp_begin = -1;
  /// <|notimestamps|>, suppressed when sampling timestamps; -1 for none.
  int64_t no_timestamps = -1;
  /// Latest first timestamp, in timestamp tokens (50 × 20 ms = 1 s).
  int64_t max_initial_timestamp = 50;
};

struct decode_options {
  /// 1 is greedy.
  int64_t num_beams = 1;
  /// Sampled tokens at most; the decoder's positions cap it too.
  int64_t max_new_tokens = 224;
  /// <|endoftext|>: ends a hypothesis.
  int64_t eot = -1;
  logit_rules rules;
};

/// The outcome of decoding one window.
struct decoded {
  /// The sampled tokens after the prompt, <|endoftext|> left out.
  std::vector<int64_t> tokens;
  /// The log-probability of each of `tokens`.
  std::vector<float> log_probs;
  /// Their sum, plus that of <|endoftext|> when it was reached.
  double sum_log_prob = 0;
  /// Whether <|endoftext|> was reached (rather than the token limit).
  bool finished = false;

  /// exp(mean log-probability per sampled token, <|endoftext|> included).
  double confidence() const;
};

/// Sets to -inf, in `logits` [rows, vocab], every token `rules` forbid after
/// `sampled[row]` (the tokens sampled so far on each row).
void apply_rules(at::Tensor& logits,
                 const std::vector<std::vector<int64_t>>& sampled,
                 const logit_rules& rules, int64_t eot);

/// Greedy decoding of `prompt` with the KV cache. `state` (one row) may
/// already hold the first `state.length` prompt tokens; the rest are fed at
/// once.
decoded greedy_search(const model& m, decoder_state& state,
                      const std::vector<int64_t>& prompt,
                      const decode_options& options);

/// Whisper's beam search: `num_beams` live hypotheses, each widened by its
/// best num_beams + 1 tokens, until num_beams have ended; the best by
/// sum(log p) / length. Same contract as `greedy_search`.
decoded beam_search(const model& m, decoder_state& state,
                    const std::vector<int64_t>& prompt,
                    const decode_options& options);

/// Greedy or beam search, by `options.num_beams`.
decoded generate(const model& m, decoder_state& state,
                 const std::vector<int64_t>& prompt,
                 const decode_options& options);

/// Language detection: feeds <|startoftranscript|> to a fresh `state` and
/// returns the softmax over the language tokens only, in `language_ids`
/// order. Decoding may go on from `state` with a prompt starting with `sot`.
std::vector<float> language_probs(const model& m, decoder_state& state,
                                  int64_t sot,
                                  const std::vector<int64_t>& language_ids);

/// Reference greedy decoding without any cache or rules: every step runs the
/// whole decoder over all tokens so far. Returns the prompt and the new
/// tokens, <|endoftext|> included when reached. Slow; for checking the
/// cached path.
std::vector<int64_t> greedy_uncached(const model& m,
                                     const at::Tensor& encoder_out,
                                     const std::vector<int64_t>& prompt,
                                     int64_t eot, int64_t max_new_tokens);

} // namespace parley::whisper
