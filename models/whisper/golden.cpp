#include "models/whisper/golden.hpp"

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "models/checkpoint/safetensors.hpp"
#include "models/torch_tensors.hpp"
#include "models/whisper/generate.hpp"
#include "models/whisper/mel.hpp"
#include "models/whisper/model.hpp"

namespace parley::whisper {

namespace {

/// Tolerances from fixtures/README.md: the model tensors are the same
/// float32 math; the front end's FFT may differ in rounding.
constexpr double model_tolerance = 1e-4;
constexpr double log_mel_tolerance = 2e-3;
/// New tokens of the recorded greedy decode (fixtures/README.md).
constexpr int64_t default_max_new_tokens = 20;

nlohmann::json read_json(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (!parsed.is_object())
    throw std::runtime_error(path + " is not a JSON object");
  return parsed;
}

std::string shape_mismatch(const at::Tensor& actual,
                           const at::Tensor& expected) {
  std::ostringstream why;
  why << "shape " << actual.sizes() << ", expected " << expected.sizes();
  return why.str();
}

golden_check compare(const std::string& name, const at::Tensor& actual,
                     const at::Tensor& expected, double tolerance) {
  golden_check check{name, 0, tolerance, false, {}};
  if (actual.sizes() != expected.sizes()) {
    check.detail = shape_mismatch(actual, expected);
    return check;
  }
  check.max_abs_diff = (actual - expected).abs().max().item<double>();
  check.passed = check.max_abs_diff <= tolerance;
  return check;
}

golden_check compare_ids(const at::Tensor& actual, const at::Tensor& expected) {
  golden_check check{"greedy_ids", 0, 0, false, {}};
  if (actual.sizes() != expected.sizes()) {
    check.detail = shape_mismatch(actual, expected);
    return check;
  }
  check.max_abs_diff = actual.ne(expected).sum().item<double>();
  check.passed = check.max_abs_diff == 0;
  return check;
}

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

golden_report run_golden(const std::string& dir) {
  c10::InferenceMode inference;
  auto recorded = read_json(dir + "/expected.json");
  auto expected_file =
      std::make_shared<const safetensors_file>(dir + "/expected.safetensors");
  auto expected = [&](const std::string& name) {
    const auto* view = expected_file->find(name);
    if (view == nullptr)
      throw std::runtime_error(dir + "/expected.safetensors has no " + name);
    return to_torch(*view, expected_file);
  };
  model m{load_weights(dir, load_options{})};
  golden_report report{"whisper", {}};

  // log-mel front end on the recorded waveform
  auto n_mels = recorded.value("n_mels", m.config().num_mel_bins);
  report.checks.push_back(
      compare("log_mel", log_mel_spectrogram(expected("waveform"), n_mels),
              expected("log_mel"), log_mel_tolerance));

  // encoder on the recorded (padded) features
  auto encoder_out = m.encode(expected("encoder_in"));
  report.checks.push_back(compare("encoder_out", encoder_out,
                                  expected("encoder_out"), model_tolerance));

  // cached greedy decode from the recorded prompt, no logit rules
  decode_options options;
  options.eot = recorded.at("eot_id").get<int64_t>();
  options.max_new_tokens =
      recorded.value("max_new_tokens", default_max_new_tokens);
  auto prompts =
      recorded.at("prompt_ids").get<std::vector<std::vector<int64_t>>>();
  auto expected_ids = expected("greedy_ids");
  report.checks.push_back(
      compare_ids(greedy_ids(m, encoder_out, prompts, options), expected_ids));

  // one teacher-forced pass over the recorded greedy ids
  auto forced = expected_ids.narrow(1, 0, expected_ids.size(1) - 1);
  report.checks.push_back(
      compare("teacher_forced_logits", m.decode(forced, encoder_out),
              expected("teacher_forced_logits"), model_tolerance));
  return report;
}

} // namespace parley::whisper
