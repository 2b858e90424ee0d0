#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parley {

/// What one round of a benchmark measured.
struct round_result {
  double seconds = 0;
  std::vector<double> latencies_us;
  uint64_t failures = 0;
};

/// The `p`th percentile (0-100) of `values`, nearest rank; 0 when empty.
double percentile(std::vector<double> values, double p);

/// The CPU model from /proc/cpuinfo and the number of cores, for benchmark
/// headers: figures mean little without the machine they were measured on.
std::string cpu_description();
/// The medians over rounds.
struct round_medians {
  double throughput = 0;
  double p50_us = 0;
  double p99_us = 0;
};

/// Runs `rounds` rounds, printing throughput (in `unit`), p50 and p99 of
/// each, then their medians: the figures to quote on a noisy machine.
round_medians print_rounds(size_t rounds,
                           const std::function<round_result()>& run,
                           const char* unit);

} // namespace parley
