// parley and parleyd as a user runs them: translations, the help of every
// command, the version, and the errors of a bad command line or
// configuration.

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/text.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;

namespace {

/// The commands a help text lists under "Subcommands:", by name.
std::vector<std::string> listed_commands(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines{help};
  bool listing = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Subcommands:", 0) == 0) {
      listing = true;
    } else if (listing && line.empty()) {
      break;
    } else if (listing && line.rfind("  ", 0) == 0 && line.size() > 2
               && line[2] != ' ') {
      // A wrapped description's lines are indented further.
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
  }
  return names;
}

} // namespace

TEST_CASE("parley translate prints a real Spanish translation", "[tools]") {
  auto result = run_command({bin_path("parley"), "translate", "--from", "en",
                             "--to", "es", "Hello world"});
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
  auto usage =
      run_command({bin_path("parley"), "translate", "--to", "es", "x"});
  CHECK(usage.exit_status == 2);
  auto bad_option = run_command({bin_path("parley"), "translate", "--from",
                                 "en", "--to", "es", "--nope", "1", "x"});
  CHECK(bad_option.exit_status == 2);
  CHECK_THAT(bad_option.err, Catch::Contains("--nope"));
}

TEST_CASE("parleyd starts from a configuration file and drains on SIGTERM",
          "[tools]") {
  auto path =
      std::string{"/tmp/parleyd_test_"} + std::to_string(getpid()) + ".toml";
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
  auto bad_kind =
      run_command({bin_path("parleyd"), "--set", "models.x.kind=nonexistent"});
  CHECK(bad_kind.exit_status == 2);
  CHECK_THAT(bad_kind.err, Catch::Contains("nonexistent"));
  auto bad_key = run_command({bin_path("parleyd"), "--set", "cache.size=1"});
  CHECK(bad_key.exit_status == 2);
  CHECK_THAT(bad_key.err, Catch::Contains("cache.size"));
  auto missing =
      run_command({bin_path("parleyd"), "--config", "/nonexistent.toml"});
  CHECK(missing.exit_status == 2);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent.toml"));
}

TEST_CASE("parley --help lists the commands, and each answers --help with "
          "its usage",
          "[tools]") {
  auto top = run_command({bin_path("parley"), "--help"});
  INFO(top.out);
  REQUIRE(top.exit_status == 0);
  CHECK_THAT(top.out, Catch::Contains("Usage: parley"));
  std::vector<std::vector<std::string>> pending;
  for (const auto& name : listed_commands(top.out))
    pending.push_back({name});
  size_t answered = 0;
  while (!pending.empty()) {
    auto command = pending.back();
    pending.pop_back();
    std::vector<std::string> argv{bin_path("parley")};
    std::string name = "parley";
    for (const auto& word : command) {
      argv.push_back(word);
      name += " " + word;
    }
    argv.push_back("--help");
    auto help = run_command(argv);
    INFO(name << ":\n" << help.out << help.err);
    CHECK(help.exit_status == 0);
    CHECK_THAT(help.out, Catch::Contains("Usage: " + name));
    // Commands with commands of their own (bench, cluster) list them.
    for (const auto& inner : listed_commands(help.out)) {
      pending.push_back(command);
      pending.back().push_back(inner);
    }
    ++answered;
  }
  // translate, detect, transcribe, speak, audio, golden, bench and its six
  // benchmarks, cluster status, kinds and make-checkpoint at least.
  CHECK(answered >= 17);
}

TEST_CASE("parleyd --help describes its options and environment variables",
          "[tools]") {
  auto help = run_command({bin_path("parleyd"), "--help"});
  INFO(help.out << help.err);
  CHECK(help.exit_status == 0);
  CHECK_THAT(help.out, Catch::Contains("Usage: parleyd"));
  for (const char* option :
       {"--config", "--set", "--pull-port", "--pub-port", "--drain-timeout-ms",
        "--role", "--join", "--node-name", "--cluster-port", "--cluster-token"})
    CHECK_THAT(help.out, Catch::Contains(option));
  for (const char* variable :
       {"TRANSLATOR_ZMQ_PULL_PORT", "TRANSLATOR_ZMQ_PUB_PORT", "REDIS_URL",
        "TRANSLATION_CACHE_TTL", "PARLEY_CLUSTER_TOKEN", "PARLEY_ADMIN_TOKEN"})
    CHECK_THAT(help.out, Catch::Contains(variable));
}

TEST_CASE("parley --version and parleyd --version print the project's version",
          "[tools]") {
  for (const std::string binary : {"parley", "parleyd"}) {
    auto result = run_command({bin_path(binary), "--version"});
    INFO(result.err);
    CHECK(result.exit_status == 0);
    CHECK(result.out == binary + " " + PARLEY_VERSION + "\n");
  }
}

TEST_CASE("An unknown option is a usage error that names it", "[tools]") {
  const std::vector<std::vector<std::string>> command_lines = {
      {bin_path("parley"), "detect", "--nope", "text"},
      {bin_path("parley"), "bench", "cache", "--nope"},
      {bin_path("parley"), "--nope"},
      {bin_path("parleyd"), "--nope"},
  };
  for (const auto& argv : command_lines) {
    auto result = run_command(argv);
    INFO(argv[1] << ": " << result.out << result.err);
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("--nope"));
  }
}

TEST_CASE("parley detect -h prints its usage rather than detecting \"-h\"",
          "[tools]") {
  auto result = run_command({bin_path("parley"), "detect", "-h"});
  INFO(result.out << result.err);
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.out, Catch::Contains("Usage: parley detect"));
  CHECK_THAT(result.out, Catch::Contains("--hint"));
  CHECK_THAT(result.err, !Catch::Contains("method"));
  CHECK(result.out.find("und\n") == std::string::npos);
}
