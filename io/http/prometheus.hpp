#pragma once

#include <string>

#include "messages/metrics.hpp"

namespace parley {

/// Renders `values` in the Prometheus text format, every name prefixed with
/// `parley_`. Names ending in `_total` are counters; `NAME_bucket`,
/// `NAME_sum` and `NAME_count` make the histogram NAME, its buckets in
/// increasing `le` order; the rest are gauges.
std::string to_prometheus(const metrics& values);

} // namespace parley
