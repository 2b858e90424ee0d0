#include "models/golden.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/nllb/golden.hpp"
#include "models/whisper/golden.hpp"

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

golden_report run_golden(const std::string& dir,
                         transformer::compute_type compute) {
  std::ifstream in{dir + "/config.json"};
  if (!in)
    throw std::runtime_error(dir + ": no config.json");
  std::stringstream text;
  text << in.rdbuf();
  auto config = nlohmann::json::parse(text.str(), nullptr, false);
  auto type = config.is_object() ? config.value("model_type", "") : "";
  if (type == "m2m_100")
    return nllb::run_golden(dir, compute);
  if (type == "whisper")
    return whisper::run_golden(dir, compute);
  throw std::runtime_error(dir + ": no golden check for model_type '" + type
                           + "'");
}

} // namespace parley
