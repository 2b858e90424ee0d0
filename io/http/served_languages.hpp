#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>

#include <caf/fwd.hpp>

#include "messages/admin.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// The target languages of every source language, over the translation
/// models loaded now, for the public APIs' language lists. A model that
/// translates any pair among its languages lists every other one as a
/// target.
std::map<std::string, std::set<std::string>>
targets_by_source(const server_status& status);

/// The server's status from the admin actor, which answers by `timeout`
/// whatever the pools do; one with no model when it does not answer. Blocks
/// the calling (HTTP) thread.
server_status fetch_status(caf::actor_system& sys, const admin_actor& admin,
                           std::chrono::milliseconds timeout);

/// `text` with ASCII letters lowered: language codes come in any case.
std::string ascii_lower(std::string text);

/// `text` with ASCII letters raised, as DeepL spells codes.
std::string ascii_upper(std::string text);

} // namespace parley
