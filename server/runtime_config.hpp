#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <caf/timespan.hpp>

#include "models/backend.hpp"
#include "models/detection/detection_config.hpp"

namespace parley {

/// How the pool of one model forms batches (see actors/replica_pool.cpp).
struct batching_config {
  /// Largest batch handed to a replica.
  size_t max_batch = 8;
  /// Longest a job waits for a fuller batch while a replica is idle.
  caf::timespan max_delay = caf::timespan{0};
  /// Jobs queued beyond this are refused with OVERLOADED.
  size_t queue_capacity = 1024;
};

/// One `[models.NAME]` table.
struct model_config {
  std::string name;
  /// Backend kind, a name from models/backend_kinds.def.
  std::string kind;
  /// Model actors serving this model on this node; each owns a backend. 0:
  /// only replicas on worker nodes serve it.
  size_t replicas = 1;
  batching_config batching;
  /// Consecutive failed starts of a replica before the model is reported
  /// unavailable (restarts go on, with backoff).
  size_t max_failed_starts = 3;
  /// Kind-specific settings, passed to the backend factory.
  backend_options options;
};

/// Everything the actor graph needs to start.
struct runtime_config {
  /// Entries of the translation cache; 0 disables storing (misses are still
  /// coalesced).
  size_t cache_capacity = 100000;
  /// Entries of each audio cache (transcriptions, spoken translations);
  /// 0 caches no audio.
  size_t audio_cache_capacity = 1000;
  /// Longest text accepted, in Unicode code points.
  size_t max_text_chars = 10000;
  /// A request not finished in this time is answered with TIMEOUT.
  caf::timespan request_timeout = std::chrono::seconds(120);
  /// The same for an audio request: long recordings take minutes.
  caf::timespan audio_timeout = std::chrono::minutes(10);
  /// On shutdown, how long accepted requests may still run.
  caf::timespan drain_timeout = std::chrono::seconds(30);
  /// Recordings are transcribed in windows of this length, one message to
  /// the recognizer each.
  double window_seconds = 30;
  std::vector<model_config> models;
  /// The name of this node in replica announcements, `/cluster` and metrics.
  std::string node_name = "local";
  /// Model types (`basic`, `medium`, `premium`) and aliases to model names;
  /// `default` names the translation model used when a request names none or
  /// an unknown one; `transcription` and `synthesis` name the speech models
  /// (else the first of each kind).
  std::map<std::string, std::string> routes;
  /// How `auto` sources are detected (`[detection]`).
  detection_config detection;
  /// Whether requests and batches feed the histograms of `/metrics` and
  /// the dashboard (`[metrics] histograms`); off, they cost nothing.
  bool histograms = true;
};

/// The embedded defaults, one replica each: Apertium for text (every model
/// type routed to it), PocketSphinx for English speech, espeak-ng for
/// synthesis.
runtime_config default_runtime_config();

} // namespace parley
