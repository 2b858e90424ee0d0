#pragma once

// What the histograms of `/metrics` and the dashboard are made of: samples
// that handlers and pools report, the telemetry actor that keeps them
// (actors/telemetry), and the one summary the admin actor answers for
// `GET /dashboard/summary`. These types never leave the front node.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_actor.hpp>

#include "messages/cluster.hpp"
#include "messages/fwd.hpp"
#include "messages/translation.hpp"

namespace parley {

using dashboard_atom = caf::atom_constant<caf::atom("dashboard")>;

/// A Prometheus histogram: fixed upper bounds, a count per bucket (not
/// cumulative; the last one counts what exceeds every bound), the sum and
/// the count of what it observed.
struct histogram {
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
  double sum = 0;
  uint64_t count = 0;

  /// Seconds, from half a millisecond to 30 s.
  static histogram of_seconds();
  /// Batch sizes, 1 to 64.
  static histogram of_batch_sizes();

  void observe(double value);

  /// The `q` quantile (0 to 1), interpolated inside its bucket as
  /// Prometheus' `histogram_quantile` does; 0 when empty.
  double quantile(double q) const;
};

/// One target language of a translation request, answered or failed.
struct target_outcome {
  std::string target_lang;
  /// From the handler's start to this answer.
  uint32_t latency_us = 0;
  bool from_cache = false;
  /// The error code's wire name (`OVERLOADED`); empty when answered.
  std::string error;
};

/// One translation request, once every target is answered.
struct request_sample {
  std::string model;
  std::string source_lang;
  /// Characters of the text, counted once per answered target.
  uint32_t characters = 0;
  /// `to_string` of the detection method; empty when none ran.
  std::string detection;
  std::vector<target_outcome> targets;
};

/// One batch a replica answered.
struct batch_sample {
  std::string model;
  uint32_t size = 0;
  uint32_t compute_us = 0;
  /// Each job's time in the queue.
  std::vector<uint32_t> queue_us;
};

/// The timings of one model's pool.
struct model_timings {
  std::string model;
  histogram queue_seconds = histogram::of_seconds();
  histogram compute_seconds = histogram::of_seconds();
  histogram batch_size = histogram::of_batch_sizes();
};

/// What one language pair (`en-es`, or `other`) answered.
struct pair_traffic {
  std::string pair;
  histogram latency_seconds = histogram::of_seconds();
  uint64_t characters = 0;
};

/// Everything the telemetry actor keeps.
struct telemetry_snapshot {
  std::vector<model_timings> models;
  std::vector<pair_traffic> pairs;
  /// Every answered target, whatever its pair.
  histogram latency_seconds = histogram::of_seconds();
  uint64_t characters = 0;
  std::map<std::string, uint64_t> errors;
  std::map<std::string, uint64_t> detections;
};

/// One pool as the dashboard shows it.
struct dashboard_pool {
  std::string model;
  std::string task;
  bool ready = false;
  bool unavailable = false;
  std::map<std::string, uint64_t> replicas_per_node;
  std::map<std::string, uint64_t> jobs_per_node;
  uint64_t queued = 0;
  uint64_t in_flight = 0;
  /// Mean batch over the largest batch its replicas take, 0 to 1.
  double batch_fill = 0;
  double queue_p50_s = 0, queue_p95_s = 0;
  double compute_p50_s = 0, compute_p95_s = 0;
};

/// One language pair among the busiest.
struct dashboard_pair {
  std::string pair;
  uint64_t answers = 0;
  uint64_t characters = 0;
  double latency_p50_s = 0, latency_p95_s = 0;
  /// Characters over the seconds their answers took.
  double characters_per_s = 0;
};

/// One cache tier (`local`, `redis`).
struct dashboard_tier {
  std::string name;
  uint64_t hits = 0;
  uint64_t misses = 0;
};

/// A bounded picture of the server for `GET /dashboard/summary`.
struct dashboard_summary {
  std::string node;
  bool histograms = false;
  std::vector<node_status> nodes;
  std::vector<dashboard_pool> pools;
  /// Nodes and pools beyond the caps, left out.
  uint64_t nodes_left_out = 0;
  uint64_t pools_left_out = 0;
  /// Every answered target; with `latency_seconds` the page derives
  /// throughput and latency over its own polling intervals.
  uint64_t answers = 0;
  uint64_t characters = 0;
  histogram latency_seconds = histogram::of_seconds();
  double latency_p50_s = 0, latency_p95_s = 0, latency_p99_s = 0;
  std::vector<dashboard_tier> cache;
  std::vector<dashboard_pair> top_pairs;
  uint64_t pairs_left_out = 0;
  std::map<std::string, uint64_t> errors;
  std::map<std::string, uint64_t> detections;
};

/// Keeps the histograms (actors/telemetry): handlers report requests,
/// pools their batches and the languages their replicas announce.
using telemetry_actor = stats_source::extend<
    caf::reacts_to<request_sample>, caf::reacts_to<batch_sample>,
    caf::reacts_to<languages_atom, std::string, language_routes>,
    caf::replies_to<dashboard_atom>::with<telemetry_snapshot>>;

/// What answers the dashboard's summary (server/admin_actor), asking every
/// part for at most `within`.
using dashboard_source = caf::typed_actor<
    caf::replies_to<dashboard_atom, caf::timespan>::with<dashboard_summary>>;

/// The admin actor with the dashboard's summary.
using admin_dashboard_actor = admin_actor::extend_with<dashboard_source>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, histogram& x) {
  return f(caf::meta::type_name("histogram"), x.bounds, x.counts, x.sum,
           x.count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, target_outcome& x) {
  return f(caf::meta::type_name("target_outcome"), x.target_lang, x.latency_us,
           x.from_cache, x.error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request_sample& x) {
  return f(caf::meta::type_name("request_sample"), x.model, x.source_lang,
           x.characters, x.detection, x.targets);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, batch_sample& x) {
  return f(caf::meta::type_name("batch_sample"), x.model, x.size, x.compute_us,
           x.queue_us);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, model_timings& x) {
  return f(caf::meta::type_name("model_timings"), x.model, x.queue_seconds,
           x.compute_seconds, x.batch_size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pair_traffic& x) {
  return f(caf::meta::type_name("pair_traffic"), x.pair, x.latency_seconds,
           x.characters);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, telemetry_snapshot& x) {
  return f(caf::meta::type_name("telemetry_snapshot"), x.models, x.pairs,
           x.latency_seconds, x.characters, x.errors, x.detections);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_pool& x) {
  return f(caf::meta::type_name("dashboard_pool"), x.model, x.task, x.ready,
           x.unavailable, x.replicas_per_node, x.jobs_per_node, x.queued,
           x.in_flight, x.batch_fill, x.queue_p50_s, x.queue_p95_s,
           x.compute_p50_s, x.compute_p95_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_pair& x) {
  return f(caf::meta::type_name("dashboard_pair"), x.pair, x.answers,
           x.characters, x.latency_p50_s, x.latency_p95_s, x.characters_per_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_tier& x) {
  return f(caf::meta::type_name("dashboard_tier"), x.name, x.hits, x.misses);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_summary& x) {
  return f(caf::meta::type_name("dashboard_summary"), x.node, x.histograms,
           x.nodes, x.pools, x.nodes_left_out, x.pools_left_out, x.answers,
           x.characters, x.latency_seconds, x.latency_p50_s, x.latency_p95_s,
           x.latency_p99_s, x.cache, x.top_pairs, x.pairs_left_out, x.errors,
           x.detections);
}

} // namespace parley
