#pragma once

#include <cstddef>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

namespace parley {

/// Audio a request names instead of carrying it in a frame: a file already
/// resolved inside the audio directory, or base64 text.
struct audio_source {
  std::string path;
  std::string base64;
  size_t max_bytes = 0;
};

/// Spawns a loader on a thread of its own: it answers one `audio_source`
/// with the recording's bytes (or MISSING_AUDIO, AUDIO_DECODE_FAILED,
/// INVALID_REQUEST for one over `max_bytes`), then quits. Reading a file and
/// decoding base64 of tens of megabytes must not hold up the gateway edge.
caf::actor spawn_audio_loader(caf::actor_system& sys);

} // namespace parley

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(parley::audio_source)
