// The session's answers to the voice API's queries on CAF's test
// coordinator, between test doubles (tests/support/session_world); time
// moves only when the test advances it.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/session_world.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("voice_admin_metrics reports the process's CPU and memory",
          "[io][session]") {
  session_world world;
  world.send({{"type", "voice_admin_metrics"}, {"taskId", "a-1"}});
  world.ds.run();
  auto answer = world.expect_event("voice_api_success");
  CHECK(answer["taskId"] == "a-1");
  CHECK(answer["requestType"] == "voice_admin_metrics");
  const auto& metrics = answer["result"];
  REQUIRE(metrics["cpuUsage"].is_number());
  CHECK(metrics["cpuUsage"].get<double>() >= 0);
  REQUIRE(metrics["memoryUsageMb"].is_number());
  CHECK(metrics["memoryUsageMb"].get<double>() > 0);
  CHECK(metrics["modelsLoaded"] == json::array({"text"}));
  CHECK(metrics["version"] == "parley test");
  CHECK(metrics["completedToday"] == 0);
  world.events->expect_nothing_more();
}

TEST_CASE("voice_languages is answered by voice_info, or fails after 4 s",
          "[io][session]") {
  auto ask = [](session_world& world) {
    world.send({{"type", "voice_languages"}, {"taskId", "l-1"}});
    world.ds.run();
  };
  SECTION("voice_info answers") {
    session_world world{voice_info_double::answers};
    ask(world);
    auto answer = world.expect_event("voice_api_success");
    CHECK(answer["taskId"] == "l-1");
    CHECK(answer["result"] == json::parse(voice_info_answer));
  }
  SECTION("voice_info is silent") {
    session_world world{voice_info_double::silent};
    ask(world);
    world.ds.advance(3999ms);
    world.events->expect_nothing_more();
    world.ds.advance(1ms);
    auto error = world.expect_event("voice_api_error");
    CHECK(error["taskId"] == "l-1");
    CHECK(error["errorCode"] == "TIMEOUT");
  }
  SECTION("there is no voice_info") {
    session_world world{voice_info_double::none};
    ask(world);
    CHECK(world.expect_event("voice_api_error")["errorCode"]
          == "FEATURE_UNAVAILABLE");
  }
}
