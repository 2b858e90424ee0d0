#include "server/runtime_config.hpp"

namespace parley {

runtime_config default_runtime_config() {
  runtime_config cfg;
  auto add = [&](const char* name) {
    model_config model;
    model.name = name;
    model.kind = name;
    cfg.models.push_back(model);
  };
  add("apertium");
  add("pocketsphinx");
  add("espeak");
  for (auto type : {"default", "basic", "medium", "premium"})
    cfg.routes[type] = "apertium";
  cfg.routes["transcription"] = "pocketsphinx";
  cfg.routes["synthesis"] = "espeak";
  return cfg;
}

} // namespace parley
