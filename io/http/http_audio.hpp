#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "io/http/http_backend.hpp"
#include "messages/fwd.hpp"
#include "messages/speech.hpp"

namespace parley {

/// The transcription of one recording, or why there is none.
struct heard_outcome {
  /// Set when it failed; `result` is empty then.
  caf::error failure;
  transcription result;
};

/// Sends `request` to `router` as an audio request without target languages
/// and waits for its transcription. The router answers every audio request
/// by its audio timeout (`audio_done` with TIMEOUT), so this never waits
/// longer. Blocks the calling (HTTP) thread.
heard_outcome transcribe_recording(caf::actor_system& sys,
                                   const router_actor& router,
                                   audio_request request);

/// Speaks `request.text` in `request.language` on the backend's synthesizer
/// and encodes it as `format` (see io/media/audio_encoder.hpp), pool and
/// codec together within `backend.speech_timeout` (TIMEOUT past it). A text
/// too long or not UTF-8 is refused first. Blocks the calling (HTTP)
/// thread.
caf::expected<encoded_speech> speak_text(caf::actor_system& sys,
                                         const http_backend& backend,
                                         synthesize_request request,
                                         const std::string& format);

} // namespace parley
