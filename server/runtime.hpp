#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <chrono>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "actors/replica_pool.hpp"
#include "messages/detection.hpp"
#include "messages/fwd.hpp"
#include "messages/metrics.hpp"
#include "messages/reload.hpp"
#include "messages/replica.hpp"
#include "messages/telemetry.hpp"
#include "messages/translation.hpp"
#include "models/detection/candidate_set.hpp"
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
  /// requests need `codec` (io/media/audio_codec_actor); without it they are
  /// refused.
  /// With a `shared` tier (io/redis/redis_tier), the caches ask it on local
  /// misses and hand it their results.
  runtime(caf::actor_system& sys, runtime_config config,
          const backend_registry& registry, codec_actor codec = {},
          redis_tier_actor shared = {});

  /// Stops every actor without draining (see `shutdown`).
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  router_actor router() const {
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

  /// What speaks a text without a recording: the synthesizer's pool and the
  /// codec; invalid when none is configured.
  const pool_actor& synthesizer() const {
    return synthesizer_;
  }

  const codec_actor& codec() const {
    return codec_;
  }

  /// The actor the edges ask about the server as a whole: models and their
  /// pools, counters, the cluster, models loaded and unloaded while serving
  /// (server/admin_actor).
  const admin_actor& admin() const {
    return admin_;
  }

  /// The admin actor again, as what answers the dashboard's summary.
  const dashboard_source& dashboard() const {
    return dashboard_;
  }

  /// Keeps the histograms; invalid when `[metrics] histograms` is off.
  const telemetry_actor& telemetry() const {
    return telemetry_;
  }

  /// Waits for one answer of the admin actor: every model with local
  /// replicas has a loaded replica or was reported unavailable, or
  /// `timeout` passed; returns the models not ready. Models served only by
  /// workers are not waited for. For tools and tests: it blocks the caller.
  std::vector<std::string> wait_until_ready(caf::timespan timeout);

  /// The merged counters of every actor, or empty counters when the stats
  /// actor does not answer within `timeout`. Blocks the caller.
  metrics current_metrics(caf::timespan timeout = std::chrono::seconds(2));

  /// The status of every model's pool, by model name (a pool that does not
  /// answer within `timeout` is left out). Blocks the caller.
  std::map<std::string, pool_status>
  pools(caf::timespan timeout = std::chrono::seconds(2));

  /// Adds an actor outside the runtime (a front end, say) to the counters.
  void add_stats_source(const stats_source& source);

  /// Hands `/cluster` to the front's cluster actor (cluster/cluster_front),
  /// which also counts into `/metrics` and learns of models loaded later.
  void attach_cluster(cluster_actor cluster);

  /// The front's cluster actor; invalid without a cluster port.
  const cluster_actor& cluster() const {
    return cluster_;
  }

  /// The pool of every model served now, whatever its task: what replicas
  /// joining from worker nodes join.
  std::map<std::string, pool_actor> pool_directory() const;

  /// Detects the source language of `text` as "auto" requests do; an
  /// `undetermined` result when detection is off.
  language_detection detect(const std::string& text,
                            const std::vector<std::string>& hints = {}) const;

  /// What `detect` calls; empty when detection is off.
  const detect_function& detector() const {
    return detect_;
  }

  /// What the runtime keeps of each model it serves.
  struct served_model {
    model_config config;
    pool_actor pool;
    /// Invalid when only workers serve it.
    supervisor_actor supervisor;
  };

  /// Every model served now, as configured or loaded.
  std::vector<served_model> served() const;

  /// Starts a translation model while serving: its pool, counted in the
  /// metrics, and its local replicas. The caller then hands the pool to the
  /// router (see server/admin_actor). Throws `std::invalid_argument` for a
  /// name in use, an unknown kind, or a speech model (those are configured
  /// at start). Does not block.
  pool_actor start_model(const model_config& model);

  /// Stops a model's replicas and pool and forgets it; false when no such
  /// model is served. Does not wait for its queue (the admin actor drains
  /// it first).
  bool stop_model(const std::string& name);

  /// The routes in force: those configured, or those of the last reload.
  route_table routes() const;

  /// Replaces the router's routes once it confirmed them, or `timeout`
  /// passed (false). Every route must name a model served now. Blocks the
  /// caller (a configuration reload).
  bool apply_routes(route_table routes, caf::timespan timeout);

  /// Sets the capacity of the translation cache and, when there is one, of
  /// the audio cache; false when one did not confirm within `timeout`.
  /// Blocks the caller (a configuration reload).
  bool apply_cache_capacities(size_t translations, size_t audio,
                              caf::timespan timeout);

  /// Lets accepted requests finish for at most `drain` (answering the rest
  /// with TIMEOUT), then stops every actor. Calling it again does nothing.
  void shutdown(caf::timespan drain);

private:
  /// Keeps `pool` for status and stopping, and starts the model's local
  /// replicas under a supervisor (none when `model.replicas` is 0).
  void start_replicas(const model_config& model,
                      const backend_registry& registry, const pool_actor& pool);

  void stop_actors();

  /// The pool settings of `model`; a translation pool adds the source
  /// languages its replicas announce to the detector's candidates.
  pool_config pool_settings(const model_config& model, model_task task) const;

  caf::actor_system& sys_;
  runtime_config config_;
  resizable_cache_actor cache_;
  resizable_audio_cache_actor audio_cache_;
  redis_tier_actor shared_;
  /// The languages recently detected per conversation; invalid when
  /// detection is off or keeps no conversations.
  local_conversation_memory_actor memory_;
  /// Pools and the codec: what stands in front of replicas.
  std::vector<caf::actor> stoppable_;
  /// What the stats actor merges.
  std::vector<stats_source> sources_;
  backend_registry registry_;
  /// Guards `served_` and `routes_`: models come and go through HTTP
  /// threads, routes with reloads.
  mutable std::mutex models_mutex_;
  std::map<std::string, served_model> served_;
  route_table routes_;
  /// The languages short texts are decided among: the configured ones, and
  /// those the translation models announce as they join.
  std::shared_ptr<detection::candidate_set> candidates_;
  detect_function detect_;
  reloadable_router_actor router_;
  stats_actor stats_;
  cluster_actor cluster_;
  admin_actor admin_;
  dashboard_source dashboard_;
  telemetry_actor telemetry_;
  pool_actor synthesizer_;
  codec_actor codec_;
  bool audio_available_ = false;
  bool stopped_ = false;
};

} // namespace parley
