#include "models/registry.hpp"

namespace parley {

#define PARLEY_BACKEND(kind)                                                   \
  std::unique_ptr<translation_backend> make_##kind##_backend(                  \
    const backend_options& options);
#define PARLEY_TRANSCRIBER(kind)                                               \
  std::unique_ptr<transcription_backend> make_##kind##_transcriber(            \
    const backend_options& options);
#define PARLEY_SYNTHESIZER(kind)                                               \
  std::unique_ptr<synthesis_backend> make_##kind##_synthesizer(                \
    const backend_options& options);
#include "models/backend_kinds.def"
#undef PARLEY_BACKEND
#undef PARLEY_TRANSCRIBER
#undef PARLEY_SYNTHESIZER

backend_registry backend_registry::builtin() {
  backend_registry result;
#define PARLEY_BACKEND(kind)                                                   \
  result.add(#kind, backend_factory{&make_##kind##_backend});
#define PARLEY_TRANSCRIBER(kind)                                               \
  result.add(#kind, transcription_factory{&make_##kind##_transcriber});
#define PARLEY_SYNTHESIZER(kind)                                               \
  result.add(#kind, synthesis_factory{&make_##kind##_synthesizer});
#include "models/backend_kinds.def"
#undef PARLEY_BACKEND
#undef PARLEY_TRANSCRIBER
#undef PARLEY_SYNTHESIZER
  return result;
}

void backend_registry::add(const std::string& kind, backend_factory factory) {
  factories_[kind] = factory;
}

void backend_registry::add(const std::string& kind,
                           transcription_factory factory) {
  transcribers_[kind] = factory;
}

void backend_registry::add(const std::string& kind, synthesis_factory factory) {
  synthesizers_[kind] = factory;
}

backend_factory backend_registry::find(const std::string& kind) const {
  auto i = factories_.find(kind);
  return i == factories_.end() ? nullptr : i->second;
}

transcription_factory
backend_registry::find_transcriber(const std::string& kind) const {
  auto i = transcribers_.find(kind);
  return i == transcribers_.end() ? nullptr : i->second;
}

synthesis_factory
backend_registry::find_synthesizer(const std::string& kind) const {
  auto i = synthesizers_.find(kind);
  return i == synthesizers_.end() ? nullptr : i->second;
}

std::optional<model_task> backend_registry::task_of(const std::string& kind) const {
  if (factories_.count(kind) > 0)
    return model_task::translation;
  if (transcribers_.count(kind) > 0)
    return model_task::transcription;
  if (synthesizers_.count(kind) > 0)
    return model_task::synthesis;
  return std::nullopt;
}

std::vector<std::string> backend_registry::kinds() const {
  std::vector<std::string> result;
  for (const auto& entry : factories_)
    result.push_back(entry.first);
  for (const auto& entry : transcribers_)
    result.push_back(entry.first);
  for (const auto& entry : synthesizers_)
    result.push_back(entry.first);
  return result;
}

} // namespace parley
