#include "models/nllb/golden.hpp"

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "models/checkpoint/safetensors.hpp"
#include "models/nllb/generate.hpp"
#include "models/nllb/model.hpp"
#include "models/torch_tensors.hpp"

namespace parley::nllb {

namespace {

/// Tolerances from fixtures/README.md: same float32 math, same libtorch.
constexpr double float_tolerance = 1e-4;

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

golden_check compare(const std::string& name, const at::Tensor& actual,
                     const at::Tensor& expected,
                     const at::Tensor& mask = at::Tensor()) {
  golden_check check{name, 0, float_tolerance, false, {}};
  if (actual.sizes() != expected.sizes()) {
    std::ostringstream why;
    why << "shape " << actual.sizes() << ", expected " << expected.sizes();
    check.detail = why.str();
    return check;
  }
  auto diff = (actual - expected).abs();
  if (mask.defined())
    diff = diff * mask;
  check.max_abs_diff = diff.max().item<double>();
  check.passed = check.max_abs_diff <= float_tolerance;
  return check;
}

golden_check compare_ids(const at::Tensor& actual, const at::Tensor& expected) {
  golden_check check{"greedy_ids", 0, 0, false, {}};
  if (actual.sizes() != expected.sizes()) {
    std::ostringstream why;
    why << "shape " << actual.sizes() << ", expected " << expected.sizes();
    check.detail = why.str();
    return check;
  }
  check.max_abs_diff = actual.ne(expected).sum().item<double>();
  check.passed = check.max_abs_diff == 0;
  return check;
}

} // namespace

golden_report run_golden(const std::string& dir) {
  c10::InferenceMode inference;
  auto recorded = read_json(dir + "/expected.json");
  auto expected_file
    = std::make_shared<const safetensors_file>(dir + "/expected.safetensors");
  auto expected = [&](const std::string& name) {
    const auto* view = expected_file->find(name);
    if (view == nullptr)
      throw std::runtime_error(dir + "/expected.safetensors has no " + name);
    return to_torch(*view, expected_file);
  };
  model m{load_weights(dir, load_options{})};
  auto ids = expected("input_ids");
  auto mask = expected("attention_mask");
  auto rows = ids.size(0);
  generation_input input{ids, mask,
                         std::vector<int64_t>(
                           rows, recorded.at("forced_bos_token_id").get<int64_t>())};
  golden_report report{"m2m_100", {}};

  // encoder, compared where the attention mask is 1
  auto encoder_out = m.encode(ids, mask);
  report.checks.push_back(compare("encoder_out", encoder_out,
                                  expected("encoder_out"),
                                  mask.unsqueeze(-1).to(at::kFloat)));

  // cached greedy decode with its step log-probabilities
  auto trace = greedy_trace(m, encoder_out, input,
                            recorded.at("max_new_tokens").get<int64_t>());
  report.checks.push_back(
    compare("step_log_probs", trace.step_log_probs, expected("step_log_probs")));
  auto expected_ids = expected("greedy_ids");
  report.checks.push_back(compare_ids(trace.ids, expected_ids));

  // one teacher-forced pass over the recorded greedy ids
  auto forced = expected_ids.narrow(1, 0, expected_ids.size(1) - 1);
  report.checks.push_back(compare("teacher_forced_logits",
                                  m.decode(forced, encoder_out, mask),
                                  expected("teacher_forced_logits")));
  return report;
}

} // namespace parley::nllb
