#include "messages/telemetry.hpp"

#include <algorithm>

namespace parley {

namespace {

histogram with_bounds(std::vector<double> bounds) {
  histogram result;
  result.counts.assign(bounds.size() + 1, 0);
  result.bounds = std::move(bounds);
  return result;
}

} // namespace

histogram histogram::of_seconds() {
  return with_bounds({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                      0.25, 0.5, 1, 2.5, 5, 10, 30});
}

histogram histogram::of_batch_sizes() {
  return with_bounds({1, 2, 4, 8, 16, 32, 64});
}

void histogram::observe(double value) {
  auto bucket =
      std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  if (static_cast<size_t>(bucket) < counts.size())
    ++counts[bucket];
  sum += value;
  ++count;
}

double histogram::quantile(double q) const {
  if (count == 0 || counts.empty())
    return 0;
  auto rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(count);
  double below = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    auto in_bucket = static_cast<double>(counts[i]);
    if (in_bucket > 0 && below + in_bucket >= rank) {
      // Beyond the last bound nothing is known but that bound.
      if (i == bounds.size())
        return bounds.empty() ? 0 : bounds.back();
      auto lower = i == 0 ? 0.0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * (rank - below) / in_bucket;
    }
    below += in_bucket;
  }
  return bounds.empty() ? 0 : bounds.back();
}

} // namespace parley
