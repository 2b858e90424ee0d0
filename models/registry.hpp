#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "messages/replica.hpp"
#include "models/backend.hpp"
#include "models/speech_backend.hpp"

namespace parley {

/// Maps the `kind` of a model configuration to the factory of its backend.
class backend_registry {
public:
  /// The kinds built into Parley, listed in models/backend_kinds.def.
  static backend_registry builtin();

  /// Adds or replaces a kind.
  void add(const std::string& kind, backend_factory factory);
  void add(const std::string& kind, transcription_factory factory);
  void add(const std::string& kind, synthesis_factory factory);

  /// Returns the factory of `kind`, or nullptr.
  backend_factory find(const std::string& kind) const;
  transcription_factory find_transcriber(const std::string& kind) const;
  synthesis_factory find_synthesizer(const std::string& kind) const;

  /// What a kind does, or nothing for an unknown kind.
  std::optional<model_task> task_of(const std::string& kind) const;

  std::vector<std::string> kinds() const;

private:
  std::map<std::string, backend_factory> factories_;
  std::map<std::string, transcription_factory> transcribers_;
  std::map<std::string, synthesis_factory> synthesizers_;
};

} // namespace parley
