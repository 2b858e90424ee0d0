#pragma once

#include <cstddef>
#include <map>
#include <string>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"
#include "messages/reload.hpp"
#include "messages/telemetry.hpp"

namespace parley {

/// What the router needs: limits, the cache and the models by name.
struct router_setup {
  size_t max_text_chars = 10000;
  caf::timespan request_timeout;
  /// The same for an audio request, from transcription to the last language.
  caf::timespan audio_timeout;
  /// Model types and aliases to model names; `default` for the rest.
  std::map<std::string, std::string> routes;
  /// The pools of the translation models, by name.
  std::map<std::string, pool_actor> models;
  cache_actor cache;
  /// The audio pipeline; an invalid codec refuses audio requests.
  codec_actor codec;
  /// The pools of the speech recognizer and synthesizer (invalid: none).
  pool_actor transcriber;
  pool_actor synthesizer;
  /// Length of the windows recordings are transcribed in.
  double window_seconds = 30;
  /// Resolves `auto` sources in the handlers; empty when detection is off.
  detect_function detect;
  /// The languages recently detected per conversation and sender; invalid:
  /// detection has no memory.
  conversation_memory_actor memory;
  /// Audio results by recording; invalid: not cached.
  audio_cache_actor audio_cache;
  /// Name of the synthesizer model (the voice of cached speech).
  std::string voice;
  /// Hears how requests were answered (actors/telemetry); invalid:
  /// histograms are off.
  telemetry_actor telemetry;
};

/// How often the router looks for handlers past their deadline.
constexpr caf::timespan router_deadline_check = std::chrono::milliseconds(100);

/// Spawns the router. For each `translate_request` it validates the text,
/// resolves the model, spawns one handler and tracks it until `done`. A
/// request it refuses gets one request-level `translation_failure` and a
/// `translation_done`. Each `audio_request` gets an audio handler the same
/// way; a refused one gets `audio_done` with the error. Handlers past
/// `request_timeout` (`audio_timeout` for audio) are expired. On
/// `shutdown` it refuses new requests, lets active ones run for the drain
/// time, then expires the rest (TIMEOUT) and answers once none is left.
/// `put` and `delete` add and remove translation models at run time;
/// `routes` replaces the routes (a configuration reload).
reloadable_router_actor spawn_router(caf::actor_system& sys,
                                     router_setup setup);

} // namespace parley
