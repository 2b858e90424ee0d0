#include "models/golden.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace parley {

bool golden_report::passed() const {
  if (checks.empty())
    return false;
  for (const auto& check : checks)
    if (!check.passed)
      return false;
  return true;
}

double golden_tolerance(transformer::compute_type type) {
  // Absolute, on fixtures whose logits stay within +-10. bfloat16 keeps 8
  // bits of mantissa (a relative step of 0.4%), int8 127 steps per output
  // channel (0.8% of its largest weight), and activations round as well; on
  // the fixtures the largest differences seen were 0.05 (bfloat16), 0.16
  // (int8) and 0.11 (int8_bfloat16), all on Whisper's teacher-forced logits.
  switch (type) {
  case transformer::compute_type::float32:
    return 1e-4; // fixtures/README.md: the same float32 math
  case transformer::compute_type::bfloat16:
    return 0.1;
  case transformer::compute_type::int8:
  case transformer::compute_type::int8_bfloat16:
    return 0.25;
  }
  return 0;
}

std::string checkpoint_model_type(const std::string& dir) {
  std::ifstream in{dir + "/config.json"};
  if (!in)
    throw std::runtime_error(dir + ": no config.json");
  std::stringstream text;
  text << in.rdbuf();
  auto config = nlohmann::json::parse(text.str(), nullptr, false);
  auto type = config.is_object() ? config.value("model_type", "") : "";
  if (type.empty())
    throw std::runtime_error(dir + "/config.json names no model_type");
  return type;
}

golden_report run_golden(const std::string& dir,
                         transformer::compute_type compute,
                         const backend_registry& kinds) {
  auto type = checkpoint_model_type(dir);
  for (const auto* kind : kinds.declarations())
    if (kind->checkpoint.golden != nullptr && kind->checkpoint.loads(type))
      return kind->checkpoint.golden(dir, compute);
  throw std::runtime_error(dir + ": no golden check for model_type '" + type
                           + "'");
}

} // namespace parley
