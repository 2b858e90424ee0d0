#include "models/registry.hpp"

namespace parley {

#define PARLEY_BACKEND(kind)                                                   \
  std::unique_ptr<translation_backend> make_##kind##_backend(                  \
    const backend_options& options);
#include "models/backend_kinds.def"
#undef PARLEY_BACKEND

backend_registry backend_registry::builtin() {
  backend_registry result;
#define PARLEY_BACKEND(kind) result.add(#kind, &make_##kind##_backend);
#include "models/backend_kinds.def"
#undef PARLEY_BACKEND
  return result;
}

void backend_registry::add(const std::string& kind, backend_factory factory) {
  factories_[kind] = factory;
}

backend_factory backend_registry::find(const std::string& kind) const {
  auto i = factories_.find(kind);
  return i == factories_.end() ? nullptr : i->second;
}

std::vector<std::string> backend_registry::kinds() const {
  std::vector<std::string> result;
  for (const auto& entry : factories_)
    result.push_back(entry.first);
  return result;
}

} // namespace parley
