#include "models/nllb/generate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "models/nllb/beam.hpp"

namespace parley::nllb {

namespace {

constexpr float minus_infinity = -std::numeric_limits<float>::infinity();

at::Tensor as_tensor(const std::vector<int64_t>& values) {
  return at::tensor(values, at::kLong);
}

} // namespace

int64_t step_limit(const generation_options& options) {
  auto limit = options.max_new_tokens;
  if (options.max_length > 0)
    limit = std::min(limit, options.max_length - 1);
  return std::max<int64_t>(limit, 0);
}

std::vector<int64_t> repeated_ngram_bans(const std::vector<int64_t>& tokens,
                                         int64_t n) {
  std::vector<int64_t> banned;
  auto length = static_cast<int64_t>(tokens.size());
  if (n <= 0 || length + 1 < n)
    return banned;
  // The last n-1 tokens, followed by any token that completed the same
  // prefix before, would repeat an n-gram.
  auto prefix = tokens.end() - (n - 1);
  for (int64_t start = 0; start + n <= length; ++start)
    if (std::equal(prefix, tokens.end(), tokens.begin() + start))
      banned.push_back(tokens[start + n - 1]);
  return banned;
}

void ban_repeated_ngrams(at::Tensor& scores, const std::vector<int64_t>& tokens,
                         int64_t row, int64_t n) {
  auto row_scores = scores[row];
  for (auto id : repeated_ngram_bans(tokens, n))
    row_scores[id] = minus_infinity;
}

std::vector<std::vector<int64_t>>
greedy_search(const model& m, const generation_input& input,
              const generation_options& options) {
  const auto& c = m.config();
  auto rows = input.ids.size(0);
  auto state = m.start(m.encode(input.ids, input.mask), input.mask);
  std::vector<std::vector<int64_t>> out(rows, {c.decoder_start_id});
  std::vector<int64_t> active(rows); // batch row -> source row
  for (int64_t i = 0; i < rows; ++i)
    active[i] = i;
  auto last = at::full({rows}, c.decoder_start_id, at::kLong);
  auto limit = step_limit(options);
  for (int64_t step = 0; step < limit && !active.empty(); ++step) {
    std::vector<int64_t> next(active.size());
    if (step == 0) { // the target language: no logits needed
      m.feed(state, last);
      for (size_t i = 0; i < active.size(); ++i)
        next[i] = input.forced_first[active[i]];
    } else {
      banned_ids banned(active.size());
      for (size_t i = 0; i < active.size(); ++i)
        banned[i] =
            repeated_ngram_bans(out[active[i]], options.no_repeat_ngram_size);
      next = m.step_greedy(state, last, banned);
    }
    std::vector<int64_t> keep;
    std::vector<int64_t> still_active;
    std::vector<int64_t> continued;
    for (size_t i = 0; i < active.size(); ++i) {
      out[active[i]].push_back(next[i]);
      if (next[i] == c.eos_id)
        continue;
      keep.push_back(static_cast<int64_t>(i));
      still_active.push_back(active[i]);
      continued.push_back(next[i]);
    }
    if (keep.size() < active.size() && !keep.empty())
      state.select(as_tensor(keep));
    active = std::move(still_active);
    last = as_tensor(continued);
  }
  return out;
}

std::vector<std::vector<int64_t>>
beam_search(const model& m, const generation_input& input,
            const generation_options& options) {
  beam_search_run run{m, input, options};
  return run.results();
}

std::vector<std::vector<int64_t>> generate(const model& m,
                                           const generation_input& input,
                                           const generation_options& options) {
  if (options.num_beams > 1)
    return beam_search(m, input, options);
  return greedy_search(m, input, options);
}

traced_generation greedy_trace(const model& m, const at::Tensor& encoder_out,
                               const generation_input& input,
                               int64_t max_new_tokens) {
  const auto& c = m.config();
  auto rows = input.ids.size(0);
  auto state = m.start(encoder_out, input.mask);
  auto ids = m.where().id_options();
  auto out = at::full({rows, 1}, c.decoder_start_id, ids);
  auto done = at::zeros({rows}, ids.dtype(at::kBool));
  auto pad = at::full({rows}, c.pad_id, ids);
  std::vector<at::Tensor> steps;
  for (int64_t step = 0; step < max_new_tokens; ++step) {
    auto log_probs = at::log_softmax(m.step(state, out.select(1, -1)), -1);
    steps.push_back(log_probs);
    auto next = step == 0 ? as_tensor(input.forced_first).to(ids.device())
                          : log_probs.argmax(-1);
    next = at::where(done, pad, next);
    out = at::cat({out, next.unsqueeze(1)}, 1);
    done = done.logical_or(next.eq(c.eos_id));
    if (done.all().item<bool>())
      break;
  }
  return {out.cpu(), at::stack(steps, 1).cpu()};
}

std::vector<std::vector<int64_t>> greedy_uncached(const model& m,
                                                  const generation_input& input,
                                                  int64_t max_new_tokens) {
  const auto& c = m.config();
  auto rows = input.ids.size(0);
  auto encoder_out = m.encode(input.ids, input.mask);
  std::vector<std::vector<int64_t>> out(rows, {c.decoder_start_id});
  for (int64_t row = 0; row < rows; ++row) {
    auto row_input = encoder_out.narrow(0, row, 1);
    auto row_mask = input.mask.narrow(0, row, 1);
    for (int64_t step = 0; step < max_new_tokens; ++step) {
      int64_t next = input.forced_first[row];
      if (step > 0) {
        auto ids = as_tensor(out[row]).view({1, -1});
        auto logits = m.decode(ids, row_input, row_mask);
        next = logits.select(1, -1).argmax(-1).item<int64_t>();
      }
      out[row].push_back(next);
      if (next == c.eos_id)
        break;
    }
  }
  return out;
}

} // namespace parley::nllb
