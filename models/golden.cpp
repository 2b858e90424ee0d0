#include "models/golden.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace parley {

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
