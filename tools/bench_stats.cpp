#include "tools/bench_stats.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

namespace parley {

double percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  auto rank = static_cast<size_t>(p / 100.0 * (values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + rank, values.end());
  return values[rank];
}

std::string cpu_description() {
  std::ifstream cpuinfo{"/proc/cpuinfo"};
  std::map<std::string, std::string> fields;
  // The first processor's block ends at the first empty line.
  for (std::string line; std::getline(cpuinfo, line) && !line.empty();) {
    auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
      continue;
    auto name = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    auto value = line.find_first_not_of(" \t", colon + 1);
    fields[name] = value == std::string::npos ? "" : line.substr(value);
  }
  auto model = fields.count("model name") ? fields["model name"]
                                          : std::string{"unknown CPU"};
  // Virtual machines often show a bare "AMD EPYC"; family and model name
  // the generation.
  if (fields.count("cpu family"))
    model +=
        " (family " + fields["cpu family"] + ", model " + fields["model"] + ")";
  return model + ", " + std::to_string(std::thread::hardware_concurrency())
         + " cores";
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
