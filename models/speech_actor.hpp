#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/replica.hpp"
#include "models/speech_backend.hpp"

namespace parley {

/// Spawns one replica of a speech recognizer on its own thread (`detached`:
/// recognition blocks). It builds its backend with `factory`, announces
/// itself to `pool` with `info` (its languages added), reports `ready` to
/// `supervisor`, then answers `(infer, audio_window)` with a transcription,
/// one window at a time. Errors: UNSUPPORTED_LANGUAGE for a language the
/// backend lacks, TRANSCRIPTION_FAILED for anything else; on `backend_fatal`
/// it dies and the supervisor starts a fresh one.
/// Jobs of other tasks are answered INVALID_REQUEST.
replica_actor spawn_transcription_replica(
    caf::actor_system& sys, replica_info info, transcription_factory factory,
    backend_options options, supervisor_actor supervisor, pool_actor pool);

/// The same for a speech synthesizer: `(infer, synthesize_request)` answered
/// with synthesized speech.
replica_actor spawn_synthesis_replica(caf::actor_system& sys, replica_info info,
                                      synthesis_factory factory,
                                      backend_options options,
                                      supervisor_actor supervisor,
                                      pool_actor pool);

} // namespace parley
