#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/backend.hpp"

namespace parley {

/// Maps the `kind` of a model configuration to the factory of its backend.
class backend_registry {
public:
  /// The kinds built into Parley, listed in models/backend_kinds.def.
  static backend_registry builtin();

  /// Adds or replaces a kind.
  void add(const std::string& kind, backend_factory factory);

  /// Returns the factory of `kind`, or nullptr.
  backend_factory find(const std::string& kind) const;

  std::vector<std::string> kinds() const;

private:
  std::map<std::string, backend_factory> factories_;
};

} // namespace parley
