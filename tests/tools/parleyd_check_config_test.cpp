// `parleyd --check-config FILE`: the exit status and the message, as an
// operator sees them before a start or a reload.

#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley::test;

namespace {

/// Runs `parleyd --check-config` on a file holding `text`.
command_result check(const temp_dir& dir, const std::string& text) {
  auto path = dir.file("parley.toml");
  std::ofstream{path} << text;
  return run_command({bin_path("parleyd"), "--check-config", path});
}

} // namespace

TEST_CASE("parleyd --check-config accepts the annotated example",
          "[tools][check-config]") {
  auto example = std::string{PARLEY_TESTS_DIR} + "/../docs/parley.example.toml";
  auto result = run_command({bin_path("parleyd"), "--check-config", example});
  INFO(result.err);
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.out, Catch::Contains("valid"));
  // Nothing started: no model loaded, so nothing says it is ready.
  CHECK_THAT(result.err, !Catch::Contains("ready"));
}

TEST_CASE("parleyd --check-config refuses a bad file naming the key and the "
          "file",
          "[tools][check-config]") {
  temp_dir dir;
  auto path = dir.file("parley.toml");
  SECTION("an unknown key") {
    auto result = check(dir, "[cache]\nsize = 5\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("cache.size"));
    CHECK_THAT(result.err, Catch::Contains(path));
  }
  SECTION("a value of the wrong type") {
    auto result = check(dir, "[gateway]\npull_port = \"five\"\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("gateway.pull_port"));
    CHECK_THAT(result.err, Catch::Contains(path));
  }
  SECTION("a bad value") {
    auto result = check(dir, "[gateway]\noutput_audio_format = \"flac\"\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("gateway.output_audio_format"));
  }
  SECTION("a bad log level") {
    auto result = check(dir, "[server]\nlog_level = \"loud\"\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("server.log_level"));
  }
  SECTION("a model of an unknown kind, which only the runtime knew before") {
    auto result = check(dir, "[models.first]\nkind = \"nonexistent\"\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("nonexistent"));
  }
  SECTION("a route to no model") {
    auto result = check(dir, "[models.first]\nkind = \"echo\"\n"
                             "[routes]\npremium = \"second\"\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("route premium"));
  }
  SECTION("a file that cannot be read") {
    auto missing = dir.file("missing.toml");
    auto result = run_command({bin_path("parleyd"), "--check-config", missing});
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains(missing));
  }
}
