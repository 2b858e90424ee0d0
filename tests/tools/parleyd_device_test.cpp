// A neural model asking for CUDA where libtorch has none: parleyd refuses to
// start, naming the model and CUDA, rather than serve without it or fall
// back to the CPU.

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

#include "models/transformer/placement.hpp"
#include "tests/support/nllb_fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;

TEST_CASE("parleyd exits before serving when a model's CUDA device is "
          "missing",
          "[tools][device]") {
  if (parley::transformer::cuda_device_count() > 0)
    return; // a CUDA libtorch with a GPU serves it; see the GPU check
  temp_dir dir;
  auto config = dir.file("parley.toml");
  std::ofstream{config} << "[models.tiny]\nkind = \"nllb\"\npath = \""
                        << nllb_fixture_dir() << "\"\ndevice = \"cuda\"\n";
  SECTION("at start") {
    child_process server{{bin_path("parleyd"), "--config", config,
                          "--pull-port", std::to_string(free_port()),
                          "--pub-port", std::to_string(free_port()),
                          "--http-port", std::to_string(free_port())}};
    auto status = server.wait_for(std::chrono::seconds(60));
    REQUIRE(status);
    CHECK(*status == 2);
    server.wait_for_output("CUDA", std::chrono::seconds(1));
    CHECK_THAT(server.output(), Catch::Contains("models.tiny.device")
                                    && Catch::Contains("CUDA"));
    CHECK_THAT(server.output(), !Catch::Contains("ready"));
  }
  SECTION("in --check-config") {
    auto result = run_command({bin_path("parleyd"), "--check-config", config});
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("models.tiny.device"));
  }
}
