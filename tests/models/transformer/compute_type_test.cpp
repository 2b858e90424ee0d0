// How `compute_type` resolves on CPUs with different features, and whether
// the cpuid reading agrees with the kernel's own view of this CPU.

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "models/transformer/compute_type.hpp"
#include "models/transformer/resolve_placement.hpp"

using namespace parley::transformer;

namespace {

cpu_features avx2_only() {
  cpu_features cpu;
  cpu.avx2 = true;
  return cpu;
}

cpu_features avx512_with(bool vnni, bool bf16) {
  auto cpu = avx2_only();
  cpu.avx512f = true;
  cpu.avx512_vnni = vnni;
  cpu.avx512_bf16 = bf16;
  return cpu;
}

cpu_features with_amx() {
  auto cpu = avx512_with(/*vnni=*/true, /*bf16=*/true);
  cpu.amx_bf16 = cpu.amx_int8 = true;
  return cpu;
}

/// The flags Linux lists for this CPU in /proc/cpuinfo.
std::set<std::string> kernel_cpu_flags() {
  std::ifstream cpuinfo{"/proc/cpuinfo"};
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("flags", 0) != 0)
      continue;
    std::stringstream words{line.substr(line.find(':') + 1)};
    std::set<std::string> flags;
    for (std::string flag; words >> flag;)
      flags.insert(flag);
    return flags;
  }
  return {};
}

} // namespace

TEST_CASE("auto picks the compute type each kind of CPU runs fastest",
          "[models]") {
  CHECK(choose_compute_type("auto", with_amx()).type
        == compute_type::int8_bfloat16);
  CHECK(choose_compute_type("auto", avx512_with(true, true)).type
        == compute_type::int8);
  CHECK(choose_compute_type("auto", avx512_with(false, true)).type
        == compute_type::bfloat16);
  CHECK(choose_compute_type("auto", avx2_only()).type == compute_type::int8);
  CHECK(choose_compute_type("auto", cpu_features{}).type
        == compute_type::float32);
  auto choice = choose_compute_type("auto", with_amx());
  CHECK_FALSE(choice.fell_back);
  CHECK_THAT(choice.reason, Catch::Contains("AMX"));
}

TEST_CASE("a compute type the CPU cannot run fast falls back with a reason",
          "[models]") {
  auto bf16 = choose_compute_type("bfloat16", avx2_only());
  CHECK(bf16.type == compute_type::float32);
  CHECK(bf16.fell_back);
  CHECK_THAT(bf16.reason, Catch::Contains("AVX512_BF16"));
  auto mixed = choose_compute_type("int8_bfloat16", avx2_only());
  CHECK(mixed.type == compute_type::int8);
  CHECK(mixed.fell_back);
  auto int8 = choose_compute_type("int8", cpu_features{});
  CHECK(int8.type == compute_type::float32);
  CHECK_THAT(int8.reason, Catch::Contains("AVX2"));
  // What a CPU runs fast is kept as asked.
  for (auto type : all_compute_types()) {
    auto kept = choose_compute_type(to_string(type), with_amx());
    CHECK(kept.type == type);
    CHECK_FALSE(kept.fell_back);
  }
}

TEST_CASE("compute type names parse back and unknown ones are refused",
          "[models]") {
  for (auto type : all_compute_types())
    CHECK(parse_compute_type(to_string(type)) == type);
  CHECK_FALSE(parse_compute_type("auto"));
  CHECK_FALSE(parse_compute_type("fp16"));
  CHECK_THROWS_WITH(choose_compute_type("fp16", with_amx()),
                    Catch::Contains("fp16"));
  CHECK_THROWS_WITH(resolve_compute_type("nllb x", "bfloat16", "int8"),
                    Catch::Contains("contradicts"));
  CHECK_THROWS_WITH(resolve_compute_type("nllb x", "int4", "none"),
                    Catch::Contains("nllb x") && Catch::Contains("int4"));
  CHECK(resolve_compute_type("nllb x", "auto", "int8") == compute_type::int8);
  CHECK(resolve_compute_type("nllb x", "float32", "none")
        == compute_type::float32);
}

TEST_CASE("cpuid agrees with the kernel's flags for this CPU", "[models]") {
  auto flags = kernel_cpu_flags();
  REQUIRE_FALSE(flags.empty());
  const auto& cpu = host_cpu_features();
  INFO("cpuid: " << cpu.describe());
  CHECK(cpu.avx2 == (flags.count("avx2") == 1));
  CHECK(cpu.avx512f == (flags.count("avx512f") == 1));
  CHECK(cpu.avx512_vnni == (flags.count("avx512_vnni") == 1));
  CHECK(cpu.avx_vnni == (flags.count("avx_vnni") == 1));
  CHECK(cpu.avx512_bf16 == (flags.count("avx512_bf16") == 1));
  CHECK(cpu.amx_bf16 == (flags.count("amx_bf16") == 1));
  CHECK(cpu.amx_int8 == (flags.count("amx_int8") == 1));
}
