#include "models/whisper/generate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/whisper/search.hpp"

namespace parley::whisper {

namespace {

constexpr float minus_infinity = -std::numeric_limits<float>::infinity();

void fill(float* row, int64_t begin, int64_t end) {
  begin = std::max<int64_t>(begin, 0);
  if (begin < end)
    std::fill(row + begin, row + end, minus_infinity);
}

/// ApplyTimestampRules on one row: timestamps come in pairs (except before
/// <|endoftext|>), never decrease, open the text, and win when their total
/// probability beats every text token.
void timestamp_rules(at::Tensor row_tensor, const std::vector<int64_t>& seq,
                     const logit_rules& rules, int64_t eot) {
  auto* row = row_tensor.data_ptr<float>();
  auto vocab = row_tensor.size(0);
  auto begin = rules.timestamp_begin;
  if (rules.no_timestamps >= 0)
    row[rules.no_timestamps] = minus_infinity;
  auto n = seq.size();
  bool last_was_timestamp = n >= 1 && seq[n - 1] >= begin;
  bool penultimate_was_timestamp = n < 2 || seq[n - 2] >= begin;
  if (last_was_timestamp) {
    if (penultimate_was_timestamp)
      fill(row, begin, vocab); // has to be text
    else
      fill(row, 0, eot); // cannot be text
  }
  int64_t last_timestamp = -1;
  for (auto token : seq)
    if (token >= begin)
      last_timestamp = token;
  if (last_timestamp >= 0) {
    // a segment never ends before it starts, nor has zero length
    auto floor = last_was_timestamp && !penultimate_was_timestamp
                     ? last_timestamp
                     : last_timestamp + 1;
    fill(row, begin, floor);
  }
  if (n == 0) {
    // the text starts with a timestamp, within the first second
    fill(row, 0, begin);
    if (rules.max_initial_timestamp >= 0)
      fill(row, begin + rules.max_initial_timestamp + 1, vocab);
  }
  auto log_probs = at::log_softmax(row_tensor, 0);
  auto timestamp_mass = log_probs.narrow(0, begin, vocab - begin).logsumexp(0);
  auto best_text = log_probs.narrow(0, 0, begin).max();
  if (timestamp_mass.item<float>() > best_text.item<float>())
    fill(row, 0, begin);
}

} // namespace

double decoded::confidence() const {
  auto count = tokens.size() + (finished ? 1 : 0);
  if (count == 0)
    return 0.0;
  return std::exp(sum_log_prob / static_cast<double>(count));
}

void apply_rules(at::Tensor& logits,
                 const std::vector<std::vector<int64_t>>& sampled,
                 const logit_rules& rules, int64_t eot) {
  logits = logits.to(at::kFloat).contiguous();
  auto vocab = logits.size(1);
  auto valid = [&](int64_t id) { return id >= 0 && id < vocab; };
  for (int64_t r = 0; r < logits.size(0); ++r) {
    auto* row = logits.data_ptr<float>() + r * vocab;
    // SuppressBlank: no space or end first
    if (sampled[r].empty())
      for (auto id : rules.begin_suppress)
        if (valid(id))
          row[id] = minus_infinity;
    // SuppressTokens
    for (auto id : rules.suppress)
      if (valid(id))
        row[id] = minus_infinity;
    if (rules.timestamp_begin >= 0 && rules.timestamp_begin < vocab)
      timestamp_rules(logits[r], sampled[r], rules, eot);
  }
}

int64_t sample_limit(const model& m, const std::vector<int64_t>& prompt,
                     const decode_options& options) {
  auto room =
      m.config().max_target_positions - static_cast<int64_t>(prompt.size());
  return std::max<int64_t>(std::min(options.max_new_tokens, room), 0);
}

at::Tensor feed_prompt(const model& m, decoder_state& state,
                       const std::vector<int64_t>& prompt) {
  auto fed = static_cast<size_t>(state.length);
  if (fed >= prompt.size())
    throw std::invalid_argument("whisper decoding: the prompt is already in "
                                "the cache; nothing left to feed");
  std::vector<int64_t> rest(prompt.begin() + fed, prompt.end());
  auto rows = state.cross_k.empty() ? 1 : state.cross_k.front().size(0);
  auto tokens = at::tensor(rest, at::kLong).view({1, -1}).expand({rows, -1});
  return m.step(state, tokens.contiguous());
}

decoded greedy_search(const model& m, decoder_state& state,
                      const std::vector<int64_t>& prompt,
                      const decode_options& options) {
  decoded out;
  auto limit = sample_limit(m, prompt, options);
  if (limit == 0)
    return out;
  auto logits = feed_prompt(m, state, prompt);
  for (int64_t step = 0; step < limit; ++step) {
    apply_rules(logits, {out.tokens}, options.rules, options.eot);
    auto log_probs = at::log_softmax(logits, -1);
    auto next = logits.argmax(-1).item<int64_t>();
    auto log_prob = log_probs[0][next].item<double>();
    out.sum_log_prob += log_prob;
    if (next == options.eot) {
      out.finished = true;
      break;
    }
    out.tokens.push_back(next);
    out.log_probs.push_back(static_cast<float>(log_prob));
    if (step + 1 < limit)
      logits = m.step(state, at::full({1, 1}, next, at::kLong));
  }
  return out;
}

decoded generate(const model& m, decoder_state& state,
                 const std::vector<int64_t>& prompt,
                 const decode_options& options) {
  if (options.num_beams > 1)
    return beam_search(m, state, prompt, options);
  return greedy_search(m, state, prompt, options);
}

std::vector<float> language_probs(const model& m, decoder_state& state,
                                  int64_t sot,
                                  const std::vector<int64_t>& language_ids) {
  if (language_ids.empty())
    return {};
  auto logits = m.step(state, at::full({1, 1}, sot, at::kLong));
  auto probs = at::softmax(
      logits[0].index_select(0, at::tensor(language_ids, at::kLong)), 0);
  auto* values = probs.contiguous().data_ptr<float>();
  return {values, values + probs.size(0)};
}

std::vector<int64_t> greedy_uncached(const model& m,
                                     const at::Tensor& encoder_out,
                                     const std::vector<int64_t>& prompt,
                                     int64_t eot, int64_t max_new_tokens) {
  auto ids = prompt;
  auto limit = std::min<int64_t>(max_new_tokens,
                                 m.config().max_target_positions
                                     - static_cast<int64_t>(prompt.size()));
  for (int64_t step = 0; step < limit; ++step) {
    auto logits =
        m.decode(at::tensor(ids, at::kLong).view({1, -1}), encoder_out);
    auto next = logits[0][-1].argmax(-1).item<int64_t>();
    ids.push_back(next);
    if (next == eot)
      break;
  }
  return ids;
}

} // namespace parley::whisper
