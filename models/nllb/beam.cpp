#include "models/nllb/beam.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parley::nllb {

namespace {

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

} // namespace

beam_search_run::beam_search_run(const model& m, const generation_input& input,
                                 const generation_options& options)
    : model_(m), options_(options), eos_id_(m.config().eos_id) {
  const auto& c = m.config();
  auto rows = input.ids.size(0);
  finished_.resize(rows);
  done_.assign(rows, false);
  // Step 0 forces the target language, so every row starts with one beam;
  // the next step widens it to num_beams.
  state_ = m.start(m.encode(input.ids, input.mask), input.mask);
  for (int64_t row = 0; row < rows; ++row)
    beams_.push_back({row, {c.decoder_start_id}, 0.0});
  auto limit = step_limit(options);
  for (int64_t step = 0; step < limit && !beams_.empty(); ++step) {
    std::vector<int64_t> last;
    for (const auto& b : beams_)
      last.push_back(b.tokens.back());
    auto tokens = at::tensor(last, at::kLong);
    if (step == 0) { // the target language: no logits needed
      m.feed(state_, tokens);
      for (auto& b : beams_)
        b.tokens.push_back(input.forced_first[b.source_row]);
      continue;
    }
    expand(at::log_softmax(m.step(state_, tokens), -1));
  }
  // Out of steps: the live beams compete with the finished hypotheses.
  for (const auto& b : beams_)
    finish(b.source_row, b.tokens, b.log_prob);
}

double beam_search_run::normalized(double log_prob, size_t length) const {
  return log_prob
         / std::pow(static_cast<double>(length), options_.length_penalty);
}

void beam_search_run::finish(int64_t source_row, std::vector<int64_t> tokens,
                             double log_prob) {
  auto& list = finished_[source_row];
  // Length as Hugging Face counts it: the tokens before the end token.
  auto length = tokens.size() - (tokens.back() == eos_id_ ? 1 : 0);
  list.push_back({std::move(tokens), normalized(log_prob, length)});
  std::sort(list.begin(), list.end(),
            [](const hypothesis& a, const hypothesis& b) {
              return a.score > b.score;
            });
  if (static_cast<int64_t>(list.size()) > options_.num_beams)
    list.pop_back();
}

bool beam_search_run::row_done(int64_t source_row, double best_live_log_prob,
                               size_t length) const {
  const auto& list = finished_[source_row];
  if (static_cast<int64_t>(list.size()) < options_.num_beams)
    return false;
  return list.back().score >= normalized(best_live_log_prob, length);
}

void beam_search_run::expand(at::Tensor log_probs) {
  auto width = options_.num_beams;
  for (size_t i = 0; i < beams_.size(); ++i)
    ban_repeated_ngrams(log_probs, beams_[i].tokens, static_cast<int64_t>(i),
                        options_.no_repeat_ngram_size);
  // Candidates of one source row are its beams' scores plus each next token.
  std::vector<beam> next;
  std::vector<int64_t> parents;
  size_t first = 0;
  while (first < beams_.size()) {
    auto row = beams_[first].source_row;
    auto last = first;
    while (last < beams_.size() && beams_[last].source_row == row)
      ++last;
    auto count = static_cast<int64_t>(last - first);
    std::vector<float> beam_log_probs;
    for (auto k = first; k < last; ++k)
      beam_log_probs.push_back(static_cast<float>(beams_[k].log_prob));
    auto scores =
        log_probs.narrow(0, static_cast<int64_t>(first), count)
        + at::tensor(beam_log_probs).view({count, 1}).to(log_probs.device());
    auto flat = scores.reshape(-1);
    auto top = flat.topk(std::min<int64_t>(2 * width, flat.size(0)));
    // The candidates are all the search needs from the device.
    auto values = std::get<0>(top).cpu();
    auto indices = std::get<1>(top).cpu();
    auto vocab = log_probs.size(1);
    int64_t kept = 0;
    double best_live = minus_infinity;
    for (int64_t rank = 0; rank < values.size(0) && kept < width; ++rank) {
      auto value = values[rank].item<double>();
      if (value == minus_infinity)
        break;
      auto index = indices[rank].item<int64_t>();
      auto parent = first + static_cast<size_t>(index / vocab);
      auto token = index % vocab;
      auto tokens = beams_[parent].tokens;
      tokens.push_back(token);
      if (token == eos_id_) {
        // Only end tokens among the best `width` candidates count.
        if (rank < width)
          finish(row, std::move(tokens), value);
        continue;
      }
      best_live = std::max(best_live, value);
      next.push_back({row, std::move(tokens), value});
      parents.push_back(static_cast<int64_t>(parent));
      ++kept;
    }
    // Hugging Face's stopping rule: no live beam can still beat the worst
    // of `width` finished hypotheses.
    if (kept == 0 || row_done(row, best_live, beams_[first].tokens.size())) {
      done_[row] = true;
      next.resize(next.size() - kept);
      parents.resize(parents.size() - kept);
    }
    first = last;
  }
  beams_ = std::move(next);
  if (!parents.empty())
    state_.select(at::tensor(parents, at::kLong));
}

std::vector<std::vector<int64_t>> beam_search_run::results() const {
  std::vector<std::vector<int64_t>> out;
  for (const auto& list : finished_)
    out.push_back(list.empty() ? std::vector<int64_t>{} : list.front().tokens);
  return out;
}

} // namespace parley::nllb
