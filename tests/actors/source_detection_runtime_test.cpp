// `sourceLanguage: "auto"` through the real actor graph: detection happens
// once per request, before the cache, so the cache is keyed by the detected
// language. The echo model translates any pair, which isolates the runtime;
// the routing of detected languages through Apertium is tested in
// tests/io/gateway/zmq_detection_test.cpp.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "messages/error_code.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

namespace {

const std::string french = "Je pense que nous devrions partir demain matin "
                           "avant qu'il ne fasse trop chaud sur la route.";

runtime_config echo_config(const std::string& detection_toml = "") {
  model_config model;
  model.name = "loopback";
  model.kind = "echo";
  auto cfg = config_with({model});
  if (detection_toml == "off")
    cfg.detection.engine = "off";
  return cfg;
}

} // namespace

TEST_CASE("auto detects the source once and keys the cache by it", "[actors]") {
  runtime_fixture fx{echo_config()};
  auto automatic = fx.translate(make_request(1, french, {"es", "en"}, "auto"));
  REQUIRE(automatic.failures.empty());
  REQUIRE(automatic.results.size() == 2);
  for (const auto& result : automatic.results) {
    CHECK(result.source_lang == "fr");
    CHECK(result.detection.language == "fr");
    CHECK(result.detection.method == detection_method::detector);
    CHECK(result.detection.confidence >= 0.5f);
    CHECK_FALSE(result.from_cache);
  }
  // The same text named as French is a hit: the entries were stored under
  // "fr", not under "auto".
  auto named = fx.translate(make_request(2, french, {"es", "en"}, "fr"));
  REQUIRE(named.results.size() == 2);
  for (const auto& result : named.results) {
    CHECK(result.from_cache);
    CHECK(result.source_lang == "fr");
    CHECK(result.detection.method == detection_method::none);
  }
  // And "auto" again is a hit as well.
  auto again = fx.translate(make_request(3, french, {"es"}, "AUTO"));
  REQUIRE(again.results.size() == 1);
  CHECK(again.results[0].from_cache);
}

TEST_CASE("a target equal to the detected source is answered unchanged",
          "[actors]") {
  runtime_fixture fx{echo_config()};
  auto events = fx.translate(make_request(1, french, {"fr", "es"}, "auto"));
  REQUIRE(events.results.size() == 2);
  auto same = events.result_for("fr");
  REQUIRE(same != nullptr);
  CHECK(same->text == french);
  CHECK(same->route == std::vector<std::string>{"fr"});
  CHECK_FALSE(same->from_cache);
  CHECK(same->detection.method == detection_method::detector);
  CHECK(fx.stats().values["cache_misses_total"] == 1); // es only
}

TEST_CASE("a missing source is detected like auto, and hints decide short "
          "texts",
          "[actors]") {
  runtime_fixture fx{echo_config()};
  auto missing = fx.translate(make_request(1, french, {"es"}, ""));
  REQUIRE(missing.results.size() == 1);
  CHECK(missing.results[0].source_lang == "fr");

  auto request = make_request(2, "ok", {"es"}, "auto");
  request.source_hints = {"pt"};
  auto hinted = fx.translate(request);
  REQUIRE(hinted.results.size() == 1);
  CHECK(hinted.results[0].source_lang == "pt");
  CHECK(hinted.results[0].detection.method == detection_method::hint);
}

TEST_CASE("a text without letters and without hints is refused per language "
          "with the reason",
          "[actors]") {
  runtime_fixture fx{echo_config()};
  auto events = fx.translate(make_request(1, "😂👍", {"es", "en"}, "auto"));
  CHECK(events.results.empty());
  REQUIRE(events.failures.size() == 2);
  for (const auto& failure : events.failures) {
    CHECK(code_of(failure.reason) == error_code::unsupported_language);
    CHECK_THAT(explanation_of(failure.reason),
               Catch::Contains("could not be detected")
                   && Catch::Contains("no letters"));
  }
}

TEST_CASE("with detection off, auto is refused as before", "[actors]") {
  runtime_fixture fx{echo_config("off")};
  auto events = fx.translate(make_request(1, french, {"es"}, "auto"));
  REQUIRE(events.failures.size() == 1);
  CHECK(code_of(events.failures[0].reason) == error_code::unsupported_language);
  CHECK_THAT(explanation_of(events.failures[0].reason),
             Catch::Contains("detection is off"));
}
