#pragma once

#include <cstdint>
#include <string>

#include <chrono>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"
#include "messages/telemetry.hpp"
#include "messages/translation.hpp"

namespace parley {

/// What one translation handler needs to know.
struct handler_context {
  /// Router-assigned; echoed in `done`.
  uint64_t handler_id = 0;
  translate_request request;
  translation_sink sink;
  /// Name of the configured model the request resolved to.
  std::string model;
  cache_actor cache;
  pool_actor pool;
  router_actor router;
  /// Resolves "auto" sources; empty when detection is off.
  detect_function detect;
  /// Recalls the languages of the request's conversation and sender before
  /// detecting, and remembers what the text decided; invalid: no memory.
  conversation_memory_actor memory;
  /// Hears how each target was answered, once the request is done;
  /// invalid: histograms are off.
  telemetry_actor telemetry;
};

/// How long a handler waits for the conversation memory before detecting
/// without it. The memory answers from its own table at once, or after its
/// shared tier's timeout.
constexpr caf::timespan memory_timeout = std::chrono::milliseconds(200);

/// Spawns the handler of one request. It answers each target language on its
/// own, as soon as it is ready. A source of "auto" (or none) is detected
/// first, once (with the conversation's recent languages when the request
/// names a conversation or sender), so that the cache is asked with the real
/// language: from the
/// cache, from another request computing the same text, or from the model. Then
/// it sends `translation_done` to the sink, `done` to the router, and quits.
/// Languages still open when `expire` arrives (the router's deadline or
/// shutdown) are answered with TIMEOUT.
translation_handler_actor spawn_translation_handler(caf::actor_system& sys,
                                                    handler_context context);

} // namespace parley
