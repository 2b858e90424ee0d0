#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "tests/support/process.hpp"
#include "tests/support/text.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;

TEST_CASE("parley translate prints a real Spanish translation", "[tools]") {
  auto result = run_command(
    {bin_path("parley"), "translate", "--from", "en", "--to", "es", "Hello world"});
  INFO(result.err);
  CHECK(result.exit_status == 0);
  CHECK_THAT(lower(result.out), Catch::Contains("hola"));
  CHECK_THAT(lower(result.out), Catch::Contains("mundo"));
}

TEST_CASE("parley translate answers several languages and names pivots",
          "[tools]") {
  auto result = run_command({bin_path("parley"), "translate", "--from", "en",
                             "--to", "es", "--to", "fr", "The cat is black."});
  INFO(result.err);
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.out, Catch::Contains("es: "));
  CHECK_THAT(lower(result.out), Catch::Contains("gato"));
  CHECK_THAT(result.out, Catch::Contains("fr: "));
  CHECK_THAT(lower(result.out), Catch::Contains("chat"));
  CHECK_THAT(result.err, Catch::Contains("en→es→fr"));
}

TEST_CASE("parley translate reads standard input and reports errors by code",
          "[tools]") {
  auto piped = run_command(
    {bin_path("parley"), "translate", "--from", "es", "--to", "en"},
    "El perro es grande.");
  CHECK(piped.exit_status == 0);
  CHECK_THAT(lower(piped.out), Catch::Contains("dog"));
  auto unsupported = run_command(
    {bin_path("parley"), "translate", "--from", "en", "--to", "xx", "Hello"});
  CHECK(unsupported.exit_status == 1);
  CHECK_THAT(unsupported.err, Catch::Contains("UNSUPPORTED_LANGUAGE"));
  auto usage = run_command({bin_path("parley"), "translate", "--to", "es", "x"});
  CHECK(usage.exit_status == 2);
  auto bad_option = run_command(
    {bin_path("parley"), "translate", "--from", "en", "--to", "es", "--nope",
     "1", "x"});
  CHECK(bad_option.exit_status == 2);
  CHECK_THAT(bad_option.err, Catch::Contains("--nope"));
}

TEST_CASE("parleyd starts from a configuration file and drains on SIGTERM",
          "[tools]") {
  auto path = std::string{"/tmp/parleyd_test_"} + std::to_string(getpid())
              + ".toml";
  {
    std::ofstream file{path};
    file << "[server]\nlog_level = \"info\"\ndrain_timeout_ms = 1000\n"
            "[models.loopback]\nkind = \"echo\"\nreplicas = 2\n";
  }
  child_process server{{bin_path("parleyd"), "--config", path, "--pull-port",
                        std::to_string(free_port()), "--pub-port",
                        std::to_string(free_port()), "--http-port",
                        std::to_string(free_port())}};
  REQUIRE(server.wait_for_output("parleyd: ready"));
  CHECK(server.stop(SIGTERM) == 0);
  INFO(server.output());
  CHECK_THAT(server.output(), Catch::Contains("SIGTERM received"));
  CHECK_THAT(server.output(), Catch::Contains("zmq pull: stopped"));
  CHECK_THAT(server.output(), Catch::Contains("parleyd: stopped"));
  std::remove(path.c_str());
}

TEST_CASE("parleyd refuses a broken configuration with a clear message",
          "[tools]") {
  auto bad_kind = run_command(
    {bin_path("parleyd"), "--set", "models.x.kind=nonexistent"});
  CHECK(bad_kind.exit_status == 2);
  CHECK_THAT(bad_kind.err, Catch::Contains("nonexistent"));
  auto bad_key = run_command({bin_path("parleyd"), "--set", "cache.size=1"});
  CHECK(bad_key.exit_status == 2);
  CHECK_THAT(bad_key.err, Catch::Contains("cache.size"));
  auto missing = run_command({bin_path("parleyd"), "--config", "/nonexistent.toml"});
  CHECK(missing.exit_status == 2);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent.toml"));
}
