#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "messages/error_code.hpp"
#include "models/apertium/mode_file.hpp"
#include "models/apertium/pipeline.hpp"
#include "models/apertium/stream_format.hpp"

using namespace parley;
using namespace parley::apertium;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

pipeline eng_spa() {
  return {"eng-spa", load_mode_file("/usr/share/apertium/modes/eng-spa.mode"),
          10s};
}

std::string translate(pipeline& p, const std::string& text) {
  auto output = p.process(encode_segment(text));
  REQUIRE(output);
  return decode_segment(*output, text);
}

size_t open_fds() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator{"/proc/self/fd"})
    ++n;
  return n;
}

size_t count(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (auto at = text.find(word); at != std::string::npos;
       at = text.find(word, at + 1))
    ++n;
  return n;
}

} // namespace

TEST_CASE("a real eng-spa pipeline translates a sentence", "[models]") {
  auto p = eng_spa();
  auto text = translate(p, "The cat is black.");
  CHECK_THAT(text, Contains("gato") && Contains("negro"));
}

TEST_CASE("several segments in a row stay in sync", "[models]") {
  auto p = eng_spa();
  for (int round = 0; round < 3; ++round) {
    auto cat = translate(p, "The cat is black.");
    auto dog = translate(p, "The dog is big.");
    auto house = translate(p, "The house is white.");
    CHECK_THAT(cat, Contains("gato") && !Contains("perro"));
    CHECK_THAT(dog, Contains("perro") && !Contains("gato"));
    CHECK_THAT(house, Contains("casa") && !Contains("perro"));
  }
}

TEST_CASE("raw newlines pass through the pipeline", "[models]") {
  auto p = eng_spa();
  auto text = translate(p, "The dog is big.\n\nThe cat is black.");
  CHECK_THAT(text, Contains("perro") && Contains("\n\n") && Contains("gato"));
}

TEST_CASE("a text of ten thousand characters completes", "[models]") {
  auto p = eng_spa();
  std::string sentence = "The cat is black and the dog is big. ";
  std::string long_text;
  size_t sentences = 0;
  for (; long_text.size() < 10000; ++sentences)
    long_text += sentence;
  auto text = translate(p, long_text);
  CHECK(count(text, "gato") == sentences);
  CHECK(count(text, "perro") == sentences);
  CHECK_THAT(translate(p, "The house is white."), Contains("casa"));
}

TEST_CASE("a killed stage is restarted and the next segment translated",
          "[models]") {
  auto p = eng_spa();
  p.start();
  auto stages = p.pids().size();
  for (auto victim : {stages / 2, size_t{0}, stages - 1}) {
    auto before = p.pids();
    REQUIRE(before.size() == stages);
    kill(before[victim], SIGKILL);
    CHECK_THAT(translate(p, "The cat is black."), Contains("gato"));
    CHECK(p.pids() != before);
  }
}

TEST_CASE("a destroyed pipeline leaves no child process or descriptor",
          "[models]") {
  std::vector<pid_t> pids;
  auto fds_before = open_fds();
  {
    auto p = eng_spa();
    p.start();
    pids = p.pids();
    CHECK(translate(p, "Hello world") == "Hola Mundo");
  }
  REQUIRE_FALSE(pids.empty());
  for (auto pid : pids) {
    // Already reaped: it is no longer our child.
    CHECK(waitpid(pid, nullptr, WNOHANG) == -1);
    CHECK(errno == ECHILD);
  }
  CHECK(open_fds() == fds_before);
}

TEST_CASE("a stage that answers nothing in time fails with a timeout",
          "[models]") {
  pipeline p{"sleep", {{"sleep", "30"}}, 200ms};
  auto output = p.process("text");
  REQUIRE_FALSE(output);
  CHECK(code_of(output.error()) == error_code::timeout);
  CHECK_THAT(explanation_of(output.error()), Contains("sleep"));
  CHECK_FALSE(p.running());
}

TEST_CASE("a stage that keeps dying fails with translation_failed",
          "[models]") {
  pipeline p{"true", {{"true"}}, 10s};
  auto output = p.process("text");
  REQUIRE_FALSE(output);
  CHECK(code_of(output.error()) == error_code::translation_failed);
  CHECK_THAT(explanation_of(output.error()), Contains("twice"));
}

TEST_CASE("a stage that cannot be started fails with translation_failed",
          "[models]") {
  pipeline p{"missing", {{"/nonexistent/parley-stage"}}, 10s};
  CHECK_THROWS_WITH(p.start(), Contains("/nonexistent/parley-stage"));
  auto output = p.process("text");
  REQUIRE_FALSE(output);
  CHECK(code_of(output.error()) == error_code::translation_failed);
}

TEST_CASE("an identity stage returns each segment as it came", "[models]") {
  pipeline p{"cat", {{"cat"}}, 10s};
  CHECK(p.process("one") == std::string{"one"});
  CHECK(p.process(std::string(100000, 'x')) == std::string(100000, 'x'));
  CHECK(p.process("three") == std::string{"three"});
}

TEST_CASE("run_and_capture returns a program's output", "[models]") {
  CHECK_THAT(run_and_capture({"apertium", "-l"}, 10s), Contains("eng-spa"));
  CHECK_THROWS_WITH(run_and_capture({"false"}, 10s), Contains("false"));
  CHECK_THROWS(run_and_capture({"/nonexistent/apertium"}, 10s));
}
