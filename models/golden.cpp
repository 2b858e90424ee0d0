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

golden_report run_golden(const std::string& dir) {
  std::ifstream in{dir + "/config.json"};
  if (!in)
    throw std::runtime_error(dir + ": no config.json");
  std::stringstream text;
  text << in.rdbuf();
  auto config = nlohmann::json::parse(text.str(), nullptr, false);
  auto type = config.is_object() ? config.value("model_type", "") : "";
  if (type == "m2m_100")
    return nllb::run_golden(dir);
  if (type == "whisper")
    return whisper::run_golden(dir);
  throw std::runtime_error(dir + ": no golden check for model_type '" + type
                           + "'");
}

} // namespace parley
