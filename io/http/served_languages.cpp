#include "io/http/served_languages.hpp"

#include <algorithm>
#include <cctype>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/admin.hpp"

namespace parley {

server_status fetch_status(caf::actor_system& sys, const admin_actor& admin,
                           std::chrono::milliseconds timeout) {
  caf::scoped_actor self{sys};
  server_status status;
  self->request(admin, caf::infinite, status_atom::value,
                caf::timespan{timeout})
      .receive([&](server_status& x) { status = std::move(x); },
               [](caf::error&) {});
  return status;
}

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
