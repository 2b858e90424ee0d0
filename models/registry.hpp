#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/model_kind.hpp"

namespace parley {

/// The model kinds a process knows, by the `kind` of a model configuration.
class backend_registry {
public:
  /// The kinds built into Parley, listed in models/backend_kinds.def.
  static backend_registry builtin();

  /// Adds or replaces a kind. Throws `std::invalid_argument` when the
  /// declaration is inconsistent (see `check_declaration`).
  void add(model_kind kind);

  /// The declaration of `kind`, or nullptr.
  const model_kind* find_kind(const std::string& kind) const;

  /// The factory of `kind` when it is a `Factory` (`backend_factory`,
  /// `transcription_factory` or `synthesis_factory`), else nullptr.
  template <class Factory> Factory factory_of(const std::string& kind) const {
    const auto* found = find_kind(kind);
    if (found == nullptr)
      return nullptr;
    const auto* factory = std::get_if<Factory>(&found->factory);
    return factory == nullptr ? nullptr : *factory;
  }

  /// What a kind does, or nothing for an unknown kind.
  std::optional<model_task> task_of(const std::string& kind) const;

  /// Checks one model against its kind (see `check_model_options`); throws
  /// `std::invalid_argument` for an unknown kind too.
  void check_model(const std::string& model, const std::string& kind,
                   const backend_options& options, size_t replicas) const;

  /// The kind of `task` that loads checkpoints whose config.json says
  /// `model_type`, or nullptr.
  const model_kind* checkpoint_kind(const std::string& model_type,
                                    model_task task) const;

  /// Every kind's name, in alphabetical order.
  std::vector<std::string> kinds() const;

  /// Every declaration, in alphabetical order of name.
  std::vector<const model_kind*> declarations() const;

private:
  std::map<std::string, model_kind> kinds_;
};

/// Throws `std::invalid_argument` naming the kind when its declaration does
/// not hold together: no name, not exactly the factory of its task, an
/// option declared twice or shadowing a common option, a choice option
/// without choices or whose fallback is not one of them, a fallback not of
/// the option's type.
void check_declaration(const model_kind& kind);

} // namespace parley
