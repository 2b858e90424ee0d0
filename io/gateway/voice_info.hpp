#pragma once

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Spawns the actor that answers the voice API's questions about the server
/// from the admin actor's status (each pool given `status_timeout`):
/// `(std::string "languages")` gives the `voice_languages` array (every
/// language some loaded model translates, recognizes or speaks, with what it
/// supports), `(std::string "health")` the `voice_health` object.
caf::actor spawn_voice_info(caf::actor_system& sys, admin_actor admin,
                            caf::timespan status_timeout);

} // namespace parley
