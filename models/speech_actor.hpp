#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "models/speech_backend.hpp"

namespace parley {

/// Spawns one replica of a speech recognizer on its own thread (`detached`:
/// recognition blocks). It builds its backend with `factory`, reports
/// `ready` to `supervisor`, then answers `(infer, audio_window)` with a
/// transcription, one window at a time. Errors: UNSUPPORTED_LANGUAGE for a
/// language the backend lacks, TRANSCRIPTION_FAILED for anything else; on
/// `backend_fatal` it dies and the supervisor starts a fresh one.
caf::actor spawn_transcription_replica(caf::actor_system& sys,
                                       std::string model_name,
                                       transcription_factory factory,
                                       backend_options options,
                                       supervisor_actor supervisor);

/// The same for a speech synthesizer: `(infer, synthesize_request)` answered
/// with synthesized speech.
caf::actor spawn_synthesis_replica(caf::actor_system& sys,
                                   std::string model_name,
                                   synthesis_factory factory,
                                   backend_options options,
                                   supervisor_actor supervisor);

} // namespace parley
