#pragma once

// Internals of models/nllb/generate.cpp shared with the beam search.

#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/generate.hpp"

namespace parley::nllb {

/// How many steps decoding may take, from `max_new_tokens` and `max_length`.
int64_t step_limit(const generation_options& options);

/// The tokens that, appended to `tokens`, would repeat one of its n-grams.
std::vector<int64_t> repeated_ngram_bans(const std::vector<int64_t>& tokens,
                                         int64_t n);

/// Sets to -inf, in `scores` row `row`, every token that would repeat an
/// n-gram of `tokens`.
void ban_repeated_ngrams(at::Tensor& scores, const std::vector<int64_t>& tokens,
                         int64_t row, int64_t n);

/// One beam search over a batch, run in the constructor.
class beam_search_run {
public:
  beam_search_run(const model& m, const generation_input& input,
                  const generation_options& options);

  /// The best hypothesis of every source row.
  std::vector<std::vector<int64_t>> results() const;

private:
  struct hypothesis {
    std::vector<int64_t> tokens;
    double score = 0;
  };

  /// A live beam: its tokens and the sum of their log-probabilities.
  struct beam {
    int64_t source_row = 0;
    std::vector<int64_t> tokens;
    double log_prob = 0;
  };

  double normalized(double log_prob, size_t length) const;
  void finish(int64_t source_row, std::vector<int64_t> tokens, double log_prob);
  bool row_done(int64_t source_row, double best_live_log_prob,
                size_t length) const;
  void expand(at::Tensor log_probs);

  const model& model_;
  generation_options options_;
  int64_t eos_id_;
  std::vector<beam> beams_;
  std::vector<std::vector<hypothesis>> finished_;
  std::vector<bool> done_;
  decoder_state state_;
};

} // namespace parley::nllb
