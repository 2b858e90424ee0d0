// Whisper's beam search (BeamSearchDecoder with patience 1 and the
// MaximumLikelihoodRanker without a length penalty).

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/whisper/search.hpp"

namespace parley::whisper {

namespace {

struct hypothesis {
  std::vector<int64_t> tokens;
  std::vector<float> log_probs;
  double sum_log_prob = 0;
  bool finished = false;
};

struct candidate {
  double score = 0;
  size_t parent = 0;
  int64_t token = 0;
  float log_prob = 0;
};

decoded best_of(const std::vector<hypothesis>& finished) {
  const hypothesis* best = nullptr;
  double best_score = -std::numeric_limits<double>::infinity();
  for (const auto& h : finished) {
    auto length = std::max<size_t>(h.tokens.size(), 1);
    auto score = h.sum_log_prob / static_cast<double>(length);
    if (best == nullptr || score > best_score) {
      best = &h;
      best_score = score;
    }
  }
  decoded out;
  if (best != nullptr)
    out = {best->tokens, best->log_probs, best->sum_log_prob, best->finished};
  return out;
}

} // namespace

decoded beam_search(const model& m, decoder_state& state,
                    const std::vector<int64_t>& prompt,
                    const decode_options& options) {
  auto width = static_cast<size_t>(std::max<int64_t>(options.num_beams, 1));
  auto limit = sample_limit(m, prompt, options);
  if (limit == 0)
    return {};
  std::vector<hypothesis> live(1);
  std::vector<hypothesis> finished;
  auto logits = feed_prompt(m, state, prompt);
  for (int64_t step = 0; step < limit; ++step) {
    std::vector<std::vector<int64_t>> sampled;
    for (const auto& h : live)
      sampled.push_back(h.tokens);
    apply_rules(logits, sampled, options.rules, options.eot);
    // every live hypothesis offers its best width + 1 continuations
    auto top = at::log_softmax(logits, -1)
                   .topk(std::min<int64_t>(static_cast<int64_t>(width) + 1,
                                           logits.size(1)),
                         -1);
    auto values = std::get<0>(top).contiguous();
    auto indices = std::get<1>(top).contiguous();
    auto k = values.size(1);
    std::vector<candidate> candidates;
    for (size_t i = 0; i < live.size(); ++i)
      for (int64_t j = 0; j < k; ++j) {
        auto value = values.data_ptr<float>()[i * k + j];
        if (std::isinf(value))
          continue;
        candidates.push_back({live[i].sum_log_prob + value, i,
                              indices.data_ptr<int64_t>()[i * k + j], value});
      }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const candidate& a, const candidate& b) {
                       return a.score > b.score;
                     });
    // the best width that go on stay live; ended ones ranked above them
    // join the finished
    std::vector<hypothesis> next;
    std::vector<int64_t> parents;
    for (const auto& c : candidates) {
      auto h = live[c.parent];
      h.sum_log_prob = c.score;
      if (c.token == options.eot) {
        h.finished = true;
        if (finished.size() < width)
          finished.push_back(std::move(h));
        continue;
      }
      h.tokens.push_back(c.token);
      h.log_probs.push_back(c.log_prob);
      next.push_back(std::move(h));
      parents.push_back(static_cast<int64_t>(c.parent));
      if (next.size() == width)
        break;
    }
    if (finished.size() >= width || next.empty()) {
      live.clear();
      break;
    }
    live = std::move(next);
    if (step + 1 < limit) {
      state.select(at::tensor(parents, at::kLong));
      std::vector<int64_t> last;
      for (const auto& h : live)
        last.push_back(h.tokens.back());
      logits = m.step(state, at::tensor(last, at::kLong).view({-1, 1}));
    }
  }
  // out of tokens: the best live hypotheses fill the finished list
  std::stable_sort(live.begin(), live.end(),
                   [](const hypothesis& a, const hypothesis& b) {
                     return a.sum_log_prob > b.sum_log_prob;
                   });
  for (auto& h : live) {
    if (finished.size() >= width)
      break;
    finished.push_back(std::move(h));
  }
  return best_of(finished);
}

} // namespace parley::whisper
