// The process's CPU time and memory read from /proc, against the same
// counters read through other doors: getrusage(2) for CPU time, and VmRSS
// in /proc/self/status, which the kernel writes in kB, for memory.

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>

#include <sys/resource.h>

#include "io/gateway/process_usage.hpp"

using namespace parley;

namespace {

double rusage_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double status_resident_mb() {
  std::ifstream status{"/proc/self/status"};
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

} // namespace

TEST_CASE("the CPU time read from /proc agrees with getrusage", "[io]") {
  // Work for a while, so that there is time to count.
  volatile double sink = 0;
  auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (std::chrono::steady_clock::now() < until)
    sink = sink + 1;
  auto before = process_cpu_seconds();
  auto reference = rusage_cpu_seconds();
  auto after = process_cpu_seconds();
  CHECK(before > 0.1);
  // /proc counts in clock ticks, getrusage in microseconds; other threads
  // may run between the reads.
  CHECK(reference >= before - 0.05);
  CHECK(reference <= after + 0.05);
}

TEST_CASE("the resident memory read from /proc agrees with VmRSS", "[io]") {
  auto resident = process_resident_mb();
  auto reference = status_resident_mb();
  CHECK(resident > 0);
  CHECK(resident == Approx(reference).margin(2.0));
}
