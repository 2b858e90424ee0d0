#pragma once

// Backends of the built-in kinds, built through the registry as the runtime
// builds them, for tests that drive one backend directly.

#include <memory>
#include <stdexcept>
#include <string>

#include "models/registry.hpp"

namespace parley::test {

/// The declaration of built-in kind `name`; throws when there is none.
inline model_kind builtin_kind(const std::string& name) {
  auto kinds = backend_registry::builtin();
  const auto* kind = kinds.find_kind(name);
  if (kind == nullptr)
    throw std::invalid_argument("no built-in kind " + name);
  return *kind;
}

inline std::unique_ptr<translation_backend>
make_backend(const std::string& kind, const backend_options& options) {
  return std::get<backend_factory>(builtin_kind(kind).factory)(options);
}

inline std::unique_ptr<transcription_backend>
make_transcriber(const std::string& kind, const backend_options& options) {
  return std::get<transcription_factory>(builtin_kind(kind).factory)(options);
}

inline std::unique_ptr<synthesis_backend>
make_synthesizer(const std::string& kind, const backend_options& options) {
  return std::get<synthesis_factory>(builtin_kind(kind).factory)(options);
}

} // namespace parley::test
