#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"
#include "messages/metrics.hpp"
#include "messages/replica.hpp"
#include "messages/translation.hpp"
#include "models/registry.hpp"
#include "server/runtime_config.hpp"

namespace parley {

/// The actor graph of one Parley process: the cache, one pool and one
/// supervisor per model (a model with no local replicas has only its pool,
/// which replicas on worker nodes join), the router and the stats actor. Both
/// the server and the in-process CLI run requests through it.
class runtime {
public:
  /// Spawns every actor. Throws `std::invalid_argument` for an unknown backend
  /// kind, a duplicate model name or a route to an unknown model. Audio
  /// requests need `codec` (io/audio_codec_actor); without it they are
  /// refused.
  /// With a `shared` tier (io/redis_tier), the caches ask it on local
  /// misses and hand it their results.
  runtime(caf::actor_system& sys, runtime_config config,
          const backend_registry& registry, codec_actor codec = {},
          redis_tier_actor shared = {});

  /// Stops every actor without draining (see `shutdown`).
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  const router_actor& router() const {
    return router_;
  }

  const stats_actor& stats() const {
    return stats_;
  }

  const runtime_config& config() const {
    return config_;
  }

  /// Whether audio requests can be served: a codec, a recognizer and a
  /// synthesizer are configured.
  bool audio_available() const {
    return audio_available_;
  }

  /// Blocks until every model with local replicas has a loaded replica or
  /// was reported unavailable, or until `timeout`; returns the models not
  /// ready. Models served only by workers are not waited for.
  std::vector<std::string> wait_until_ready(caf::timespan timeout);

  /// Adds an actor outside the runtime (a front end, say) to the counters.
  void add_stats_source(const stats_source& source);

  /// The merged counters of every actor (empty when the stats actor does not
  /// answer within two seconds).
  metrics current_metrics();

  /// The language pairs of every model, by model name (empty: any pair).
  std::map<std::string, language_routes> languages();

  /// The status of every model's pool, by model name (a pool that does not
  /// answer within two seconds is left out).
  std::map<std::string, pool_status> pools();

  /// Hands `/cluster` to the front's cluster actor (cluster/cluster_front),
  /// which also counts into `/metrics`.
  void attach_cluster(cluster_actor cluster);

  /// The cluster as the front sees it: its nodes, and every pool with its
  /// replicas per node. Without a cluster port, this node alone.
  cluster_status cluster();

  /// The pool of every model served now, whatever its task: what replicas
  /// joining from worker nodes join.
  std::map<std::string, pool_actor> pool_directory() const;

  /// Detects the source language of `text` as "auto" requests do; an
  /// `undetermined` result when detection is off.
  language_detection detect(const std::string& text,
                            const std::vector<std::string>& hints = {}) const;

  /// Loads a translation model while serving: its pool joins the router
  /// (and the cluster port, for workers joining later) and its replicas
  /// start. Throws `std::invalid_argument` for a name in use, an unknown
  /// kind, or a speech model (those are configured at start).
  void add_model(const model_config& model);

  /// Unloads a model while serving: the router stops sending it requests,
  /// its pool refuses new jobs and finishes its queue, then its replicas and
  /// pool stop. Blocks until then. False when no such model is served.
  bool remove_model(const std::string& name);

  /// The models served now, as configured or loaded.
  std::vector<model_config> models() const;

  /// True when every model has a loaded replica.
  bool ready();

  /// Lets accepted requests finish for at most `drain` (answering the rest
  /// with TIMEOUT), then stops every actor. Calling it again does nothing.
  void shutdown(caf::timespan drain);

private:
  /// Keeps `pool` for status and stopping, and starts the model's local
  /// replicas under a supervisor (none when `model.replicas` is 0).
  void start_replicas(const model_config& model,
                      const backend_registry& registry, const pool_actor& pool);

  void stop_actors();

  caf::actor_system& sys_;
  runtime_config config_;
  cache_actor cache_;
  audio_cache_actor audio_cache_;
  redis_tier_actor shared_;
  /// Pools and the codec: what stands in front of replicas.
  std::vector<caf::actor> stoppable_;
  /// What the stats actor merges.
  std::vector<stats_source> sources_;
  /// What the runtime keeps of each model it serves.
  struct served_model {
    model_config config;
    pool_actor pool;
    /// Invalid when only workers serve it.
    supervisor_actor supervisor;
  };

  backend_registry registry_;
  /// Guards `served_`: models come and go through HTTP threads.
  mutable std::mutex models_mutex_;
  std::map<std::string, served_model> served_;
  detect_function detect_;
  router_actor router_;
  stats_actor stats_;
  cluster_actor cluster_;
  bool audio_available_ = false;
  bool stopped_ = false;
};

} // namespace parley
