#pragma once

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/speech.hpp"

namespace parley {

/// What one audio handler needs to know.
struct audio_context {
  /// Router-assigned; echoed in `done`.
  uint64_t handler_id = 0;
  audio_request request;
  audio_sink sink;
  codec_actor codec;
  /// Invalid when no recognizer is configured.
  pool_actor transcriber;
  /// Invalid when no synthesizer is configured.
  pool_actor synthesizer;
  router_actor router;
  /// Length of the windows a recording is cut into, in seconds.
  double window_seconds = 30;
  /// Transcriptions and spoken translations by recording; invalid: none.
  audio_cache_actor audio_cache;
  /// Name of the synthesizer: part of the key of cached speech.
  std::string voice;
};

/// Spawns the handler of one audio request. It decodes the recording (or
/// takes the phone's transcription), sends it to the recognizer one window
/// at a time, publishes the transcription, then translates the text into
/// every target language but the spoken one through the router, in the
/// background lane, and speaks and encodes each translation as soon as it
/// arrives. Then `audio_done` goes to the sink and `done` to the router.
/// With an audio cache, a recording heard before skips the recognizer, and
/// a language spoken before (same recording, model type, voice and format)
/// skips translation and synthesis; such events carry `from_cache`.
/// Work still open on `expire` is answered with TIMEOUT.
audio_handler_actor spawn_audio_handler(caf::actor_system& sys,
                                        audio_context context);

} // namespace parley
