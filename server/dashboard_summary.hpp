#pragma once

#include <cstddef>
#include <string>

#include "messages/admin.hpp"
#include "messages/cluster.hpp"
#include "messages/metrics.hpp"
#include "messages/telemetry.hpp"

namespace parley {

/// The caps that keep a dashboard summary small whatever the server serves.
struct dashboard_limits {
  size_t top_pairs = 10;
  size_t nodes = 32;
  size_t pools = 32;
};

/// What the admin actor gathered for one summary; the parts that did not
/// answer in time stay empty.
struct dashboard_parts {
  std::string node;
  server_status status;
  /// Empty without a cluster port: this node alone is listed.
  cluster_status cluster;
  /// Unset when histograms are off.
  bool histograms = false;
  telemetry_snapshot telemetry;
  /// The merged counters, for the cache tiers.
  metrics counters;
};

/// The dashboard's summary of `parts`: nodes, pools with their timings, the
/// latency of every answer, cache tiers, the busiest language pairs, errors
/// and detections, each list within `limits`.
dashboard_summary make_dashboard_summary(const dashboard_parts& parts,
                                         const dashboard_limits& limits = {});

} // namespace parley
