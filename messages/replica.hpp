#pragma once

// What replicas tell their pools, and what pools tell the rest of Parley:
// typed, so that readiness and queue state are read as fields, on any node.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"
#include "messages/translation.hpp"

namespace parley {

/// What a model does.
enum class model_task : uint8_t { translation, transcription, synthesis };

const char* to_string(model_task task);

/// The answer of a pool or replica of `model`, which does `serves`, to a job
/// of the task `asked` (every pool and replica has the one interface of all
/// tasks): INVALID_REQUEST naming both.
caf::error other_task_error(const std::string& model, model_task serves,
                            model_task asked);

/// A replica announcing itself to the pool of its model, from this process or
/// from a worker node.
struct replica_info {
  /// The model's name, as configured (`[models.NAME]`).
  std::string model;
  /// Its backend kind (`apertium`, `nllb`, ...).
  std::string kind;
  model_task task = model_task::translation;
  /// The node it runs on (`local` on the front).
  std::string node;
  /// Language pairs (translation) or languages (speech).
  language_routes languages;
  /// Longest audio window it takes, in seconds (0: any).
  double window_seconds = 0;
  /// Largest batch it takes (0: the pool's `max_batch`).
  uint32_t max_batch = 0;
};

/// One replica as its pool sees it.
struct replica_status {
  std::string node;
  std::string kind;
  uint32_t max_batch = 0;
  /// Jobs in the batch it holds (0: idle).
  uint32_t in_flight = 0;
  uint64_t batches = 0;
  uint64_t jobs = 0;
};

/// A pool's answer to `status`: its queue and its replicas.
struct pool_status {
  std::string model;
  model_task task = model_task::translation;
  uint64_t queued = 0;
  uint64_t in_flight = 0;
  /// Set when the model failed to start and no replica serves it.
  bool unavailable = false;
  /// Set once the pool was told to drain: it takes no new work.
  bool draining = false;
  std::vector<replica_status> replicas;
  /// The languages its replicas announced.
  language_routes languages;

  bool ready() const {
    return !replicas.empty();
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replica_info& x) {
  return f(caf::meta::type_name("replica_info"), x.model, x.kind, x.task,
           x.node, x.languages, x.window_seconds, x.max_batch);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replica_status& x) {
  return f(caf::meta::type_name("replica_status"), x.node, x.kind, x.max_batch,
           x.in_flight, x.batches, x.jobs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_status& x) {
  return f(caf::meta::type_name("pool_status"), x.model, x.task, x.queued,
           x.in_flight, x.unavailable, x.draining, x.replicas, x.languages);
}

} // namespace parley
