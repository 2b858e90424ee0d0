#include "models/whisper/golden.hpp"

#include <memory>
#include <stdexcept>

#include <c10/core/InferenceMode.h>

#include "models/checkpoint/safetensors.hpp"
#include "models/golden_tensors.hpp"
#include "models/nllb/linear.hpp"
#include "models/torch_tensors.hpp"
#include "models/whisper/generate.hpp"
#include "models/whisper/mel.hpp"
#include "models/whisper/model.hpp"

namespace parley::whisper {

namespace {

/// Tolerance from fixtures/README.md: the front end's FFT may differ in
/// rounding (the model tensors' is golden_tolerance()).
constexpr double log_mel_tolerance = 2e-3;
/// New tokens of the recorded greedy decode (fixtures/README.md).
constexpr int64_t default_max_new_tokens = 20;

/// Greedy ids [rows, prompt + new] of every row, finished rows padded with
/// <|endoftext|>.
at::Tensor greedy_ids(const model& m, const at::Tensor& encoder_out,
                      const std::vector<std::vector<int64_t>>& prompts,
                      const decode_options& options) {
  std::vector<std::vector<int64_t>> rows;
  size_t longest = 0;
  for (size_t r = 0; r < prompts.size(); ++r) {
    auto state = m.start(encoder_out.narrow(0, static_cast<int64_t>(r), 1));
    auto result = greedy_search(m, state, prompts[r], options);
    auto ids = prompts[r];
    ids.insert(ids.end(), result.tokens.begin(), result.tokens.end());
    if (result.finished)
      ids.push_back(options.eot);
    longest = std::max(longest, ids.size());
    rows.push_back(std::move(ids));
  }
  auto out = at::full(
      {static_cast<int64_t>(rows.size()), static_cast<int64_t>(longest)},
      options.eot, at::kLong);
  for (size_t r = 0; r < rows.size(); ++r)
    out[static_cast<int64_t>(r)]
        .narrow(0, 0, static_cast<int64_t>(rows[r].size()))
        .copy_(at::tensor(rows[r], at::kLong));
  return out;
}

} // namespace

golden_report run_golden(const std::string& dir, compute_type type) {
  return run_golden_on(dir, type, c10::Device{c10::kCPU});
}

golden_report run_golden_on(const std::string& dir, compute_type type,
                            c10::Device device) {
  c10::InferenceMode inference;
  auto recorded = read_golden_json(dir + "/expected.json");
  auto expected_file =
      std::make_shared<const safetensors_file>(dir + "/expected.safetensors");
  auto expected = [&](const std::string& name) {
    const auto* view = expected_file->find(name);
    if (view == nullptr)
      throw std::runtime_error(dir + "/expected.safetensors has no " + name);
    return to_torch(*view, expected_file);
  };
  if (transformer::uses_int8(type))
    nllb::select_quantized_engine();
  model m{load_weights(dir, load_options{type, device})};
  auto tolerance = golden_tolerance(type);
  golden_report report{"whisper", to_string(type), {}};

  // log-mel front end on the recorded waveform
  auto n_mels = recorded.value("n_mels", m.config().num_mel_bins);
  report.checks.push_back(compare_tensor(
      "log_mel", log_mel_spectrogram(expected("waveform"), n_mels),
      expected("log_mel"), log_mel_tolerance));

  // encoder on the recorded (padded) features
  auto encoder_out = m.encode(expected("encoder_in"));
  report.checks.push_back(compare_tensor("encoder_out", encoder_out,
                                         expected("encoder_out"), tolerance));

  // cached greedy decode from the recorded prompt, no logit rules
  decode_options options;
  options.eot = recorded.at("eot_id").get<int64_t>();
  options.max_new_tokens =
      recorded.value("max_new_tokens", default_max_new_tokens);
  auto prompts =
      recorded.at("prompt_ids").get<std::vector<std::vector<int64_t>>>();
  auto expected_ids = expected("greedy_ids");
  report.checks.push_back(compare_greedy_ids(
      greedy_ids(m, encoder_out, prompts, options), expected_ids,
      expected("teacher_forced_logits"), tolerance));

  // one teacher-forced pass over the recorded greedy ids
  auto forced = expected_ids.narrow(1, 0, expected_ids.size(1) - 1);
  report.checks.push_back(
      compare_tensor("teacher_forced_logits", m.decode(forced, encoder_out),
                     expected("teacher_forced_logits"), tolerance));
  return report;
}

} // namespace parley::whisper
