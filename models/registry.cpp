#include "models/registry.hpp"

#include <set>
#include <stdexcept>

#include "models/checkpoint_hooks.hpp"

namespace parley {

#define PARLEY_KIND(kind) model_kind kind##_kind();
#include "models/backend_kinds.def"
#undef PARLEY_KIND

backend_registry backend_registry::builtin() {
  backend_registry result;
#define PARLEY_KIND(kind) result.add(kind##_kind());
#include "models/backend_kinds.def"
#undef PARLEY_KIND
  return result;
}

void check_declaration(const model_kind& kind) {
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument("model kind '" + kind.name + "': " + why);
  };
  if (kind.name.empty())
    fail("no name");
  if (!kind.has_factory())
    fail(std::string{"needs a factory, for "} + to_string(kind.task()));
  std::set<std::string> keys;
  for (const auto& option : common_model_options())
    keys.insert(option.key);
  for (const auto& option : kind.options) {
    if (option.key.empty() || !keys.insert(option.key).second)
      fail("option '" + option.key + "' is empty, declared twice or common");
    if (option.type == option_type::choice && option.choices.empty())
      fail("option " + option.key + " is a choice without choices");
    if (!option.fallback.empty() && !value_fits(option, option.fallback))
      fail("the default of option " + option.key + " is not "
           + expected_value(option));
  }
  const auto& hooks = kind.checkpoint;
  bool has_hooks = hooks.golden || hooks.shapes || hooks.time_decoding;
  if (has_hooks && hooks.model_types.empty())
    fail("tool hooks without the model_type of its checkpoints");
  if ((hooks.shapes == nullptr) != (hooks.make_random == nullptr))
    fail("shapes and make_random come together");
}

void backend_registry::add(model_kind kind) {
  check_declaration(kind);
  auto name = kind.name;
  kinds_.insert_or_assign(name, std::move(kind));
}

const model_kind* backend_registry::find_kind(const std::string& kind) const {
  auto i = kinds_.find(kind);
  return i == kinds_.end() ? nullptr : &i->second;
}

std::optional<model_task>
backend_registry::task_of(const std::string& kind) const {
  const auto* found = find_kind(kind);
  if (found == nullptr)
    return std::nullopt;
  return found->task();
}

void backend_registry::check_model(const std::string& model,
                                   const std::string& kind,
                                   const backend_options& options,
                                   size_t replicas) const {
  const auto* found = find_kind(kind);
  if (found == nullptr) {
    std::string names;
    for (const auto& name : kinds())
      names += (names.empty() ? "" : ", ") + name;
    throw std::invalid_argument("models." + model + ".kind: unknown kind '"
                                + kind + "' (known: " + names + ")");
  }
  check_model_options(*found, model, options, replicas);
}

const model_kind*
backend_registry::checkpoint_kind(const std::string& model_type,
                                  model_task task) const {
  for (const auto& [name, kind] : kinds_)
    if (kind.task() == task && kind.checkpoint.loads(model_type))
      return &kind;
  return nullptr;
}

std::vector<std::string> backend_registry::kinds() const {
  std::vector<std::string> result;
  for (const auto& entry : kinds_)
    result.push_back(entry.first);
  return result;
}

std::vector<const model_kind*> backend_registry::declarations() const {
  std::vector<const model_kind*> result;
  for (const auto& entry : kinds_)
    result.push_back(&entry.second);
  return result;
}

bool checkpoint_hooks::loads(const std::string& type) const {
  for (const auto& known : model_types)
    if (known == type)
      return true;
  return false;
}

} // namespace parley
