#pragma once

#include <caf/fwd.hpp>

#include "io/media/audio_decoder.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Spawns the codec actor on a thread of its own (decoding blocks): it
/// decodes recordings to 16 kHz mono within `limits`, and encodes
/// synthesized speech to wav, opus or mp3. Failures come back as typed
/// errors (AUDIO_DECODE_FAILED, MISSING_AUDIO, INVALID_REQUEST).
codec_actor spawn_audio_codec(caf::actor_system& sys, audio_limits limits);

} // namespace parley
