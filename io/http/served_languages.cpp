#include "io/http/served_languages.hpp"

#include <algorithm>
#include <cctype>

#include "messages/admin.hpp"

namespace parley {

std::map<std::string, std::set<std::string>>
targets_by_source(const server_status& status) {
  std::map<std::string, std::set<std::string>> targets;
  for (const auto& model : status.models) {
    if (!model.ready() || model.task != model_task::translation)
      continue;
    const auto& languages = model.pool.languages;
    for (const auto& route : languages.routes)
      targets[route.source_lang].insert(route.target_lang);
    for (const auto& source : languages.languages)
      for (const auto& target : languages.languages)
        if (source != target)
          targets[source].insert(target);
  }
  return targets;
}

std::string ascii_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string ascii_upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return text;
}

} // namespace parley
