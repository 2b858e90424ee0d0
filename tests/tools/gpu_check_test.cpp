// parley_gpu_check, the libtorch-only check of a GPU node, run here on the
// CPU: its golden checks on the fixtures, a random checkpoint made by it, and
// its timing beside PyTorch eager running the reference math, so that a GPU
// run differs only in the device.

#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley::test;

namespace {

const std::string fixtures = PARLEY_FIXTURES_DIR;

/// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text,
                                        const std::string& prefix) {
  std::vector<std::string> found;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    auto line = text.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0)
      found.push_back(line);
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return found;
}

} // namespace

TEST_CASE("the GPU check's golden checks pass on the CPU in every CPU "
          "compute type",
          "[tools][gpu_check]") {
  auto result = run_command({bin_path("parley_gpu_check"), "golden", fixtures,
                             "cpu", "float32,bfloat16,int8,int8_bfloat16"});
  INFO(result.out << result.err);
  CHECK(result.exit_status == 0);
  auto reports = lines_starting(result.out, "golden_result ");
  // Two models in four types, each passed.
  REQUIRE(reports.size() == 8);
  for (const auto& line : reports)
    CHECK_THAT(line, Catch::Contains("passed=yes"));
  // Each compared tensor is reported with its difference and tolerance.
  CHECK_THAT(result.out, Catch::Contains("model=nllb-tiny device=cpu "
                                         "type=float32 tensor=encoder_out"));
  CHECK_THAT(result.out, Catch::Contains("tensor=teacher_forced_logits"));
}

TEST_CASE("the GPU check refuses what it cannot run", "[tools][gpu_check]") {
  auto usage = run_command({bin_path("parley_gpu_check"), "golden"});
  CHECK(usage.exit_status == 2);
  CHECK_THAT(usage.err, Catch::Contains("usage"));
  auto type = run_command(
      {bin_path("parley_gpu_check"), "golden", fixtures, "cpu", "fp8"});
  CHECK(type.exit_status == 2);
  CHECK_THAT(type.err, Catch::Contains("fp8"));
  auto device = run_command(
      {bin_path("parley_gpu_check"), "golden", fixtures, "tpu", "float32"});
  CHECK(device.exit_status == 2);
  CHECK_THAT(device.err, Catch::Contains("tpu"));
}

TEST_CASE("the GPU check times a random checkpoint beside PyTorch eager",
          "[tools][gpu_check]") {
  temp_dir dir;
  auto checkpoint = dir.file("tiny");
  auto made = run_command({bin_path("parley_gpu_check"), "make-checkpoint",
                           "nllb", "tiny", checkpoint});
  INFO(made.out << made.err);
  REQUIRE(made.exit_status == 0);
  auto parley = run_command({bin_path("parley_gpu_check"), "bench", "nllb",
                             checkpoint, "cpu", "float32", "1,2", "4"});
  INFO(parley.out << parley.err);
  REQUIRE(parley.exit_status == 0);
  auto eager = run_command(
      {"/usr/bin/python3",
       std::string{PARLEY_TESTS_DIR} + "/../tools/gpu_check/eager_reference.py",
       "nllb", fixtures + "/../reference/m2m100_reference.py", checkpoint,
       "cpu", "float32", "1,2", "4"});
  INFO(eager.out << eager.err);
  REQUIRE(eager.exit_status == 0);
  // One line per engine and batch, with a positive rate.
  std::regex rate{R"(tokens_per_second=([0-9.e+-]+))"};
  for (const auto& [engine, text] :
       {std::pair{"parley", parley.out}, std::pair{"eager", eager.out}}) {
    auto rows = lines_starting(text, std::string{"bench engine="} + engine);
    REQUIRE(rows.size() == 2);
    CHECK_THAT(rows[1], Catch::Contains("batch=2 new_tokens=4"));
    for (const auto& row : rows) {
      std::smatch match;
      REQUIRE(std::regex_search(row, match, rate));
      CHECK(std::stod(match[1]) > 0);
    }
  }
}
