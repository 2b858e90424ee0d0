#include "tools/bench_compute.hpp"

#include <cstdio>
#include <cstdlib>

#include <dlfcn.h>

#include "models/transformer/compute_type.hpp"
#include "tools/bench_stats.hpp"

namespace parley {

namespace {

/// OpenBLAS's name for the kernels it chose ("Cooperlake", "Haswell"), when
/// the process has OpenBLAS loaded (libtorch's BLAS on Debian).
std::string openblas_core() {
  using corename_function = char* (*)();
  auto corename = reinterpret_cast<corename_function>(
      dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (corename == nullptr)
    return "not loaded";
  std::string core = corename();
  // Debian's OpenBLAS picks its kernels per CPU at load time, unless this
  // variable forces a core.
  if (const char* forced = std::getenv("OPENBLAS_CORETYPE"))
    core += std::string{" (forced by OPENBLAS_CORETYPE="} + forced + ")";
  return core;
}

} // namespace

void print_compute_header() {
  const auto& cpu = transformer::host_cpu_features();
  auto choice = transformer::choose_compute_type("auto", cpu);
  std::printf("cpu: %s\n", cpu_description().c_str());
  std::printf("cpu features: %s\n", cpu.describe().c_str());
  std::printf("compute_type auto: %s (%s)\n", to_string(choice.type),
              choice.reason.c_str());
  std::printf("float32 BLAS: OpenBLAS %s\n", openblas_core().c_str());
}

std::vector<std::string> fast_compute_types() {
  const auto& cpu = transformer::host_cpu_features();
  std::vector<std::string> names;
  for (auto type : transformer::all_compute_types()) {
    auto why_slow = transformer::slow_reason(type, cpu);
    if (why_slow.empty())
      names.push_back(to_string(type));
    else
      std::printf("skipped %s: %s\n", to_string(type), why_slow.c_str());
  }
  return names;
}

} // namespace parley
