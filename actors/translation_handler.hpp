#pragma once

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"
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
};

/// Spawns the handler of one request. It answers each target language on its
/// own, as soon as it is ready. A source of "auto" (or none) is detected
/// first, once, so that the cache is asked with the real language: from the
/// cache, from another request computing the same text, or from the model. Then
/// it sends `translation_done` to the sink, `done` to the router, and quits.
/// Languages still open when `expire` arrives (the router's deadline or
/// shutdown) are answered with TIMEOUT.
translation_handler_actor spawn_translation_handler(caf::actor_system& sys,
                                                    handler_context context);

} // namespace parley
