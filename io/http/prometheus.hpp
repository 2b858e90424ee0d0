#pragma once

#include <string>

#include "messages/metrics.hpp"

namespace parley {

/// Renders `values` in the Prometheus text format, every name prefixed with
/// `parley_`. Names ending in `_total` are counters, the rest gauges.
std::string to_prometheus(const metrics& values);

} // namespace parley
