#include "tests/support/toy_kind.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <string>

#include "models/checkpoint/checkpoint.hpp"
#include "models/golden.hpp"

namespace parley::test {

namespace {

constexpr const char* model_type = "toy_reverse";
constexpr int64_t width = 4;

class toy_backend final : public translation_backend {
public:
  explicit toy_backend(bool upper) : upper_(upper) {
  }

  std::vector<job_output> translate(const translation_batch& batch) override {
    std::vector<job_output> outputs;
    for (const auto& job : batch.jobs) {
      std::string text{job.text.rbegin(), job.text.rend()};
      if (upper_)
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return std::toupper(c); });
      outputs.push_back({text, {job.source_lang, job.target_lang}, {}});
    }
    return outputs;
  }

  language_routes routes() const override {
    return {};
  }

private:
  bool upper_;
};

std::unique_ptr<translation_backend> make_toy(const backend_options& options) {
  // Opening the checkpoint fails the load when `path` holds none.
  checkpoint::open(options.get_string("path", ""))
      .at("toy.weight", {width, width});
  return std::make_unique<toy_backend>(options.get_bool("upper", false));
}

std::vector<std::string> toy_shapes() {
  return {"toy-4"};
}

random_checkpoint random_toy(const std::string&, tensor_dtype dtype) {
  random_checkpoint result;
  result.files = {
      {"config.json", std::string{"{\"model_type\": \""} + model_type + "\"}"}};
  result.tensors = {{"toy.weight", dtype, {width, width}}};
  result.rule = [](const tensor_spec&) { return init_rule{}; };
  return result;
}

golden_report toy_golden(const std::string& dir,
                         transformer::compute_type type) {
  golden_report report;
  report.model_type = model_type;
  report.compute_type = transformer::to_string(type);
  golden_check check;
  check.tensor = "toy.weight";
  check.passed = checkpoint::open(dir).find("toy.weight") != nullptr;
  report.checks.push_back(check);
  return report;
}

} // namespace

model_kind toy_kind() {
  model_kind kind;
  kind.name = "toy";
  kind.summary = "reverses texts (tests only)";
  kind.factory = &make_toy;
  kind.options = {
      {"path", option_type::text, "", "checkpoint directory (required)"},
      {"upper", option_type::boolean, "false", "answer in capitals"},
  };
  kind.checkpoint.model_types = {model_type};
  kind.checkpoint.golden = &toy_golden;
  kind.checkpoint.shapes = &toy_shapes;
  kind.checkpoint.make_random = &random_toy;
  return kind;
}

} // namespace parley::test
