#include "models/nllb/golden.hpp"

#include <memory>
#include <stdexcept>

#include <c10/core/InferenceMode.h>

#include "models/checkpoint/safetensors.hpp"
#include "models/golden_tensors.hpp"
#include "models/nllb/generate.hpp"
#include "models/nllb/model.hpp"
#include "models/torch_tensors.hpp"

namespace parley::nllb {

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
    select_quantized_engine();
  model m{load_weights(dir, load_options{type, device})};
  auto tolerance = golden_tolerance(type);
  auto ids = expected("input_ids");
  auto mask = expected("attention_mask");
  auto rows = ids.size(0);
  generation_input input{
      ids, mask,
      std::vector<int64_t>(rows,
                           recorded.at("forced_bos_token_id").get<int64_t>())};
  golden_report report{"m2m_100", to_string(type), {}};

  // encoder, compared where the attention mask is 1
  auto encoder_out = m.encode(ids, mask);
  report.checks.push_back(compare_tensor("encoder_out", encoder_out,
                                         expected("encoder_out"), tolerance,
                                         mask.unsqueeze(-1).to(at::kFloat)));

  // cached greedy decode with its step log-probabilities
  auto trace = greedy_trace(m, encoder_out, input,
                            recorded.at("max_new_tokens").get<int64_t>());
  report.checks.push_back(compare_tensor("step_log_probs", trace.step_log_probs,
                                         expected("step_log_probs"),
                                         tolerance));
  auto expected_ids = expected("greedy_ids");
  report.checks.push_back(compare_greedy_ids(
      trace.ids, expected_ids, expected("teacher_forced_logits"), tolerance));

  // one teacher-forced pass over the recorded greedy ids
  auto forced = expected_ids.narrow(1, 0, expected_ids.size(1) - 1);
  report.checks.push_back(compare_tensor(
      "teacher_forced_logits", m.decode(forced, encoder_out, mask),
      expected("teacher_forced_logits"), tolerance));
  return report;
}

} // namespace parley::nllb
