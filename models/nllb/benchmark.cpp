#include "models/nllb/benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include "models/nllb/generate.hpp"
#include "models/nllb/model.hpp"

namespace parley::nllb {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Random sources: a language token, `length - 2` ordinary tokens, </s>.
generation_input random_input(const model_config& c, int64_t batch,
                              int64_t length, uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  generation_input input;
  input.ids = at::randint(4, std::max<int64_t>(c.vocab_size - 300, 5),
                          {batch, length}, generator, at::kLong);
  input.ids.select(1, 0).fill_(c.vocab_size - 2);
  input.ids.select(1, length - 1).fill_(c.eos_id);
  input.mask = at::ones({batch, length}, at::kLong);
  input.forced_first.assign(batch, c.vocab_size - 3);
  return input;
}

/// Greedy decoding that never stops at </s>, so every configuration does
/// the same number of steps; returns the time of each step.
std::vector<double> timed_steps(const model& m, const generation_input& input,
                                int64_t new_tokens, double* encode_seconds) {
  auto encode_start = clock_type::now();
  auto state = m.start(m.encode(input.ids, input.mask), input.mask);
  if (!m.where().on_cpu()) // one value back: waits for the device's queue
    (void)state.cross_v.back().flatten()[0].item<float>();
  *encode_seconds = seconds_since(encode_start);
  auto last =
      at::full({input.ids.size(0)}, m.config().decoder_start_id, at::kLong);
  std::vector<double> steps;
  for (int64_t step = 0; step < new_tokens; ++step) {
    auto start = clock_type::now();
    // The ids come back to the CPU, as a search's do: on a GPU that is also
    // where the step's work is waited for.
    if (step == 0) { // the forced target language, as the searches take it
      m.feed(state, last);
      last = at::tensor(input.forced_first, at::kLong);
    } else {
      last = at::tensor(m.step_greedy(state, last, {}), at::kLong);
    }
    steps.push_back(seconds_since(start));
  }
  return steps;
}

} // namespace

decode_timing time_decoding(const std::string& dir,
                            const std::string& compute_type, int64_t batch,
                            int64_t source_tokens, int64_t new_tokens,
                            int threads, uint64_t seed,
                            const std::string& device) {
  c10::InferenceMode inference;
  if (threads > 0)
    at::set_num_threads(threads);
  auto type = transformer::parse_compute_type(compute_type);
  if (!type)
    throw std::invalid_argument("no compute type '" + compute_type + "'");
  if (transformer::uses_int8(*type))
    select_quantized_engine();
  model m{shared_weights(dir, load_options{*type, c10::Device{device}})};
  auto input = random_input(m.config(), batch, source_tokens, seed);
  decode_timing timing;
  timed_steps(m, input, std::min<int64_t>(new_tokens, 4),
              &timing.encode_seconds); // warm-up
  auto start = clock_type::now();
  auto steps = timed_steps(m, input, new_tokens, &timing.encode_seconds);
  timing.batch = batch;
  timing.seconds = seconds_since(start);
  timing.tokens = batch * new_tokens;
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2,
                   steps.end());
  timing.step_seconds = steps[steps.size() / 2];
  timing.step_weight_bytes = m.step_weight_bytes();
  return timing;
}

double measure_copy_bandwidth() {
  constexpr size_t bytes = size_t{512} << 20;
  std::vector<char> from(bytes, 1);
  std::vector<char> to(bytes, 0);
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    auto start = clock_type::now();
    std::memcpy(to.data(), from.data(), bytes);
    auto elapsed = seconds_since(start);
    // A copy reads and writes every byte.
    best = std::max(best, 2.0 * bytes / elapsed);
  }
  return best;
}

} // namespace parley::nllb
