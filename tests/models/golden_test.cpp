// The golden checks in every compute type: each type this CPU runs fast must
// keep the greedy ids of float32 (except at the reference's near-ties, which
// are reported) and its tensors within the stated tolerance; the others are
// reported as skipped, with the reason.

#include "tests/support/torch_catch.hpp"

#include <string>

#include "models/golden.hpp"
#include "tests/support/nllb_fixture.hpp"
#include "tests/support/process.hpp"

using namespace parley;

namespace {

const std::string whisper_fixture_dir =
    std::string{PARLEY_FIXTURES_DIR} + "/whisper-tiny";

/// Runs the golden check of `dir` in every compute type; a type this CPU
/// cannot run fast is skipped with a warning naming the reason.
void check_every_compute_type(const std::string& dir) {
  const auto& cpu = transformer::host_cpu_features();
  for (auto type : transformer::all_compute_types()) {
    auto why_slow = transformer::slow_reason(type, cpu);
    if (!why_slow.empty()) {
      WARN("SKIPPED " << to_string(type) << " on " << dir << ": " << why_slow);
      continue;
    }
    auto report = run_golden(dir, type);
    CHECK(report.compute_type == to_string(type));
    REQUIRE(report.checks.size() == 4);
    for (const auto& check : report.checks) {
      INFO(to_string(type) << " " << check.tensor << " " << check.max_abs_diff
                           << " " << check.detail);
      CHECK(check.passed);
      for (const auto& tie : check.near_ties)
        WARN(to_string(type) << " on " << dir << " near-tie: " << tie);
      if (check.tensor == "greedy_ids") {
        CHECK(check.max_abs_diff == 0);
        // float32 is the reference's own math: no id may differ at all.
        if (type == transformer::compute_type::float32)
          CHECK(check.near_ties.empty());
      }
      if (check.tensor != "log_mel")
        CHECK(check.tolerance == golden_tolerance(type));
    }
  }
}

} // namespace

TEST_CASE("the nllb fixture passes its golden check in every compute type "
          "this CPU runs fast",
          "[models][golden]") {
  check_every_compute_type(test::nllb_fixture_dir());
}

TEST_CASE("the whisper fixture passes its golden check in every compute type "
          "this CPU runs fast",
          "[models][golden]") {
  check_every_compute_type(whisper_fixture_dir);
}

TEST_CASE("parley golden reports each compute type and refuses unknown ones",
          "[models][golden]") {
  auto result = test::run_command(
      {test::bin_path("parley"), "golden", test::nllb_fixture_dir()});
  INFO(result.out << result.err);
  CHECK(result.exit_status == 0);
  for (auto type : transformer::all_compute_types())
    CHECK_THAT(result.out, Catch::Contains(to_string(type)));
  auto refused =
      test::run_command({test::bin_path("parley"), "golden",
                         test::nllb_fixture_dir(), "--compute-type", "float8"});
  CHECK(refused.exit_status == 2);
  CHECK_THAT(refused.err, Catch::Contains("float8"));
  // float16 is a CUDA type: the CPU's golden run says why it skips it (the
  // GPU check runs it on a device: tools/gpu_check).
  auto cuda_only = test::run_command({test::bin_path("parley"), "golden",
                                      test::nllb_fixture_dir(),
                                      "--compute-type", "float16"});
  CHECK(cuda_only.exit_status == 0);
  CHECK_THAT(cuda_only.out,
             Catch::Contains("float16: skipped") && Catch::Contains("CUDA"));
}
