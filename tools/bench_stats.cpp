#include "tools/bench_stats.hpp"

#include <algorithm>
#include <cstdio>

namespace parley {

double percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  auto rank = static_cast<size_t>(p / 100.0 * (values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + rank, values.end());
  return values[rank];
}

round_medians print_rounds(size_t rounds,
                           const std::function<round_result()>& run,
                           const char* unit) {
  std::printf("%-6s %14s %10s %10s %9s\n", "round", unit, "p50 us", "p99 us",
              "failures");
  std::vector<double> throughputs, p50s, p99s;
  for (size_t round = 1; round <= rounds; ++round) {
    auto result = run();
    throughputs.push_back(result.latencies_us.size() / result.seconds);
    p50s.push_back(percentile(result.latencies_us, 50));
    p99s.push_back(percentile(result.latencies_us, 99));
    std::printf("%-6zu %14.0f %10.1f %10.1f %9llu\n", round, throughputs.back(),
                p50s.back(), p99s.back(),
                static_cast<unsigned long long>(result.failures));
    std::fflush(stdout);
  }
  round_medians medians{percentile(throughputs, 50), percentile(p50s, 50),
                        percentile(p99s, 50)};
  std::printf("%-6s %14.0f %10.1f %10.1f\n", "median", medians.throughput,
              medians.p50_us, medians.p99_us);
  return medians;
}

} // namespace parley
