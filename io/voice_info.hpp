#pragma once

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "server/runtime.hpp"

namespace parley {

/// Spawns the actor that answers the voice API's questions about the server,
/// on a thread of its own because it asks the runtime and waits:
/// `(std::string "languages")` gives the `voice_languages` array (every
/// language some model translates, recognizes or speaks, with what it
/// supports), `(std::string "health")` the `voice_health` object. `rt` must
/// outlive it.
caf::actor spawn_voice_info(caf::actor_system& sys, runtime& rt);

} // namespace parley
