#pragma once

#include <cstddef>
#include <string>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Spawns the pool of one speech recognizer: a bounded FIFO queue in front of
/// its replicas, each given one window at a time. Windows are queued one by
/// one, so a long recording does not hold the model for its whole length:
/// other requests' windows interleave. A window whose replica dies is
/// retried once, then answered MODEL_UNAVAILABLE; a full queue answers
/// OVERLOADED.
transcriber_actor spawn_transcriber_pool(caf::actor_system& sys,
                                         std::string model_name,
                                         size_t queue_capacity);

/// The same for a speech synthesizer.
synthesizer_actor spawn_synthesizer_pool(caf::actor_system& sys,
                                         std::string model_name,
                                         size_t queue_capacity);

} // namespace parley
