#include "actors/runtime_config.hpp"

namespace parley {

runtime_config default_runtime_config() {
  runtime_config cfg;
  model_config apertium;
  apertium.name = "apertium";
  apertium.kind = "apertium";
  cfg.models.push_back(apertium);
  for (auto type : {"default", "basic", "medium", "premium"})
    cfg.routes[type] = "apertium";
  return cfg;
}

} // namespace parley
