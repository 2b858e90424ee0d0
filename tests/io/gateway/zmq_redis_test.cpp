// parleyd with the shared cache tier, as real processes: the server, a real
// redis-server, a ZMQ client and HTTP. The tests wait on events: the lines
// parleyd logs when its tier connects or gives Redis up, and the keyspace
// events of the keys it writes.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/redis/redis_format.hpp"
#include "tests/support/audio_fixture.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/runtime_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

json translation_json(const std::string& task, const std::string& text) {
  return {{"type", "translation"},    {"taskId", task},
          {"messageId", "m-" + task}, {"text", text},
          {"sourceLanguage", "en"},   {"targetLanguages", {"es"}},
          {"conversationId", "c-1"},  {"modelType", "basic"}};
}

/// Sends a translation and returns its completed event (null on none).
json translate(zmq_client& client, const std::string& task,
               const std::string& text) {
  client.send(translation_json(task, text));
  return client.receive_until(
      [&](const json& e) {
        return e.value("taskId", "") == task
               && (e["type"] == "translation_completed"
                   || e["type"] == "translation_error");
      },
      std::chrono::seconds(30));
}

json health(const server_process& server) {
  auto reply = http_get(server.http_port, "/health");
  return json::parse(reply.body, nullptr, false);
}

/// Waits for the server's tier to log that it connected; then /health
/// says so.
bool comes_up(server_process& server) {
  return server.wait_for_log("redis: connected to")
         && health(server)["redis"] == "ok";
}

/// The value of one series on /metrics, 0 when absent.
double metric(const server_process& server, const std::string& series) {
  auto text = http_get(server.http_port, "/metrics").body;
  auto at = text.find("\nparley_" + series + " ");
  if (at == std::string::npos)
    return 0;
  return std::stod(text.substr(at + series.size() + 9));
}

json audio_process(const std::string& task) {
  return {{"type", "audio_process"},      {"taskId", task},
          {"messageId", "m-" + task},     {"attachmentId", "a-" + task},
          {"conversationId", "c-1"},      {"senderId", "u-1"},
          {"audioMimeType", "audio/wav"}, {"binaryFrames", {{"audio", 1}}},
          {"targetLanguages", {"es"}},    {"modelType", "basic"}};
}

struct audio_run {
  std::vector<json> events;
  std::vector<std::vector<std::string>> frames;
};

audio_run process_audio(zmq_client& client, const std::string& task) {
  client.send(audio_process(task), {jfk_bytes()});
  audio_run run;
  while (run.events.empty()
         || (run.events.back()["type"] != "audio_process_completed"
             && run.events.back()["type"] != "audio_process_error")) {
    // Speech runs at idle priority: a busy machine slows it a lot.
    auto event = client.receive(std::chrono::seconds(240));
    REQUIRE_FALSE(event.is_null());
    if (event.value("taskId", "") != task)
      continue;
    run.events.push_back(event);
    run.frames.push_back(client.last_frames);
  }
  return run;
}

const std::string echo_models = "[models.echo]\nkind = \"echo\"\n";

} // namespace

TEST_CASE("parleyd keeps serving while Redis is down, reports it degraded on "
          "/health, and uses Redis again once it is back",
          "[io][redis]") {
  redis_server redis;
  server_process server{echo_models + redis.toml()};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  REQUIRE(comes_up(server));
  CHECK(translate(client, "t-1", "first text")["type"]
        == "translation_completed");
  redis.kill();
  for (int i = 2; i <= 6; ++i) {
    auto id = "t-" + std::to_string(i);
    CHECK(translate(client, id, "down text " + id)["type"]
          == "translation_completed");
  }
  REQUIRE(server.wait_for_log("serving from the local cache"));
  auto degraded = health(server);
  CHECK(degraded["redis"] == "degraded");
  CHECK(degraded["ready"] == true);
  CHECK(degraded["status"] == "ok");
  CHECK(http_get(server.http_port, "/ready").status == 200);
  CHECK(metric(server, "redis_errors_total") >= 1);
  redis.start();
  REQUIRE(comes_up(server));
  CHECK(translate(client, "t-7", "back text")["type"]
        == "translation_completed");
  auto key =
      text_key_name(text_hash(tier_text_key{"basic", "en", "es", "back text"}));
  CHECK(redis.wait_for_key(key));
}

TEST_CASE("an audio_process sent twice never reaches the recognizer or the "
          "synthesizer again, on this front or another sharing Redis",
          "[io][redis]") {
  redis_server redis;
  server_process front_a{redis.toml()};
  zmq_client client_a{front_a.pull_port, front_a.pub_port};
  REQUIRE(client_a.wait_until_subscribed());
  REQUIRE(comes_up(front_a));
  auto first = process_audio(client_a, "a-1");
  REQUIRE(first.events.back()["type"] == "audio_process_completed");
  CHECK(first.events[0]["transcription"]["fromCache"] == false);
  auto recognized = metric(front_a, "model_jobs_total{model=\"pocketsphinx\"}");
  auto spoken = metric(front_a, "model_jobs_total{model=\"espeak\"}");
  REQUIRE(recognized >= 1);
  REQUIRE(spoken == 1);

  auto check_cached = [&](const audio_run& again) {
    REQUIRE(again.events.size() == first.events.size());
    for (size_t i = 0; i < first.events.size(); ++i) {
      CHECK(again.events[i]["type"] == first.events[i]["type"]);
      REQUIRE(again.frames[i].size() == first.frames[i].size());
      // Every audio frame after the JSON one is byte-identical.
      for (size_t f = 1; f < first.frames[i].size(); ++f)
        CHECK(again.frames[i][f] == first.frames[i][f]);
    }
    CHECK(again.events[0]["transcription"]["fromCache"] == true);
    CHECK(again.events[0]["transcription"]["text"]
          == first.events[0]["transcription"]["text"]);
    CHECK(again.events[1]["translatedAudio"]["fromCache"] == true);
    CHECK(again.events[1]["translatedAudio"]["translatedText"]
          == first.events[1]["translatedAudio"]["translatedText"]);
  };
  check_cached(process_audio(client_a, "a-2"));
  CHECK(metric(front_a, "model_jobs_total{model=\"pocketsphinx\"}")
        == recognized);
  CHECK(metric(front_a, "model_jobs_total{model=\"espeak\"}") == spoken);
  CHECK(metric(front_a,
               "audio_cache_hits_total{kind=\"transcription\",tier=\"local\"}")
        == 1);

  // Another front sharing the Redis answers from it.
  server_process front_b{redis.toml()};
  zmq_client client_b{front_b.pull_port, front_b.pub_port};
  REQUIRE(client_b.wait_until_subscribed());
  REQUIRE(comes_up(front_b));
  check_cached(process_audio(client_b, "b-1"));
  CHECK(metric(front_b, "model_jobs_total{model=\"pocketsphinx\"}") == 0);
  CHECK(metric(front_b, "model_jobs_total{model=\"espeak\"}") == 0);
  CHECK(
      metric(front_b, "audio_cache_hits_total{kind=\"speech\",tier=\"redis\"}")
      == 1);

  // transcription_only answers from the same cache.
  client_b.send(json{{"type", "transcription_only"},
                     {"taskId", "b-2"},
                     {"messageId", "m-b-2"},
                     {"attachmentId", "a-b-2"},
                     {"binaryFrames", {{"audio", 1}}}},
                {jfk_bytes()});
  auto heard = client_b.receive_until(
      [](const json& e) { return e.value("taskId", "") == "b-2"; },
      std::chrono::seconds(60));
  REQUIRE(heard["type"] == "transcription_completed");
  CHECK(heard["transcription"]["fromCache"] == true);
  CHECK(heard["transcription"]["text"]
        == first.events[0]["transcription"]["text"]);
  CHECK(metric(front_b, "model_jobs_total{model=\"pocketsphinx\"}") == 0);
}

TEST_CASE("two parleyd fronts sharing Redis, one new text sent 50 times to "
          "both at once: one inference in total",
          "[io][redis]") {
  redis_server redis;
  server_process front_a{echo_models + redis.toml()};
  server_process front_b{echo_models + redis.toml()};
  zmq_client client_a{front_a.pull_port, front_a.pub_port};
  zmq_client client_b{front_b.pull_port, front_b.pub_port};
  REQUIRE(client_a.wait_until_subscribed());
  REQUIRE(client_b.wait_until_subscribed());
  REQUIRE(comes_up(front_a));
  REQUIRE(comes_up(front_b));
  for (int i = 0; i < 50; ++i) {
    client_a.send(translation_json("a-" + std::to_string(i), "one new text"));
    client_b.send(translation_json("b-" + std::to_string(i), "one new text"));
  }
  auto collect = [](zmq_client& client) {
    int completed = 0;
    while (completed < 50) {
      auto event = client.receive(std::chrono::seconds(30));
      REQUIRE_FALSE(event.is_null());
      if (event["type"] == "translation_completed") {
        CHECK(event["result"]["translatedText"] == "one new text");
        ++completed;
      }
    }
  };
  collect(client_a);
  collect(client_b);
  CHECK(metric(front_a, "model_jobs_total{model=\"echo\"}")
            + metric(front_b, "model_jobs_total{model=\"echo\"}")
        == 1);
}
