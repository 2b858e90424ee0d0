// Parley and the Python service it replaces share one Redis: each reads what
// the other wrote. tests/io/redis/redis_old_service.py reads and writes exactly
// as the old service's code does, with Debian's redis-py. Parley's tier is
// awaited on its log line when it connects, and its writes on their keyspace
// events.

#include <catch2/catch.hpp>

#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/audio_cache.hpp"
#include "io/redis/redis_format.hpp"
#include "io/redis/redis_tier.hpp"
#include "messages/audio_cache_types.hpp"
#include "server/system_config.hpp"
#include "tests/support/log_watch.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

json old_service(const redis_server& redis, const std::string& command,
                 const json& arguments) {
  auto result = run_command(
      {"/usr/bin/python3",
       std::string{PARLEY_TESTS_DIR} + "/io/redis/redis_old_service.py",
       std::to_string(redis.port()), command, arguments.dump()});
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  return json::parse(result.out);
}

std::string hex(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

const std::string accented = "Ça va? Naïve café 😀 \"quoted\"\nnew line";

} // namespace

TEST_CASE("Parley reads the translations the old service wrote, its premium "
          "rule included",
          "[io][redis]") {
  redis_server redis;
  old_service(redis, "set_translation",
              {{"text", accented},
               {"source_lang", "fr"},
               {"target_lang", "en"},
               {"translated_text", "How are you? Naive café 😀"},
               {"model_type", "basic"}});
  old_service(redis, "set_translation",
              {{"text", "Bonjour."},
               {"source_lang", "fr"},
               {"target_lang", "es"},
               {"translated_text", "Buenos días (premium)."},
               {"model_type", "premium"}});
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                    redis.tier_config()};
  REQUIRE(log.wait_for("redis: connected to"));
  REQUIRE(f.stats().values["redis_up"] == 1);
  auto exact = f.translate(make_request(1, accented, {"en"}, "fr", "basic"));
  REQUIRE(exact.results.size() == 1);
  CHECK(exact.results[0].text == "How are you? Naive café 😀");
  auto premium =
      f.translate(make_request(2, "Bonjour.", {"es"}, "fr", "basic"));
  REQUIRE(premium.results.size() == 1);
  CHECK(premium.results[0].text == "Buenos días (premium).");
  CHECK(control->jobs().empty());
}

TEST_CASE("the old service reads the translations Parley wrote, byte for "
          "byte in its format",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                    redis.tier_config()};
  REQUIRE(log.wait_for("redis: connected to"));
  REQUIRE(f.stats().values["redis_up"] == 1);
  auto events = f.translate(make_request(1, accented, {"es"}, "fr", "premium"));
  REQUIRE(events.results.size() == 1);
  REQUIRE(control->batches == 1); // one text, one model call
  REQUIRE(redis.wait_for_key(text_key_name(
      text_hash(tier_text_key{"premium", "fr", "es", accented}))));
  auto read_as = [&](const std::string& model_type) {
    return old_service(redis, "get_translation",
                       {{"text", accented},
                        {"source_lang", "fr"},
                        {"target_lang", "es"},
                        {"model_type", model_type}});
  };
  auto found = read_as("premium");
  REQUIRE(found["found"] == true);
  CHECK(found["value"]["translated_text"] == events.results[0].text);
  CHECK(found["value"]["model_type"] == "premium");
  CHECK(found["python_format"] == true);
  CHECK(found["ttl"].get<int64_t>() > 2592000 - 60);
  // The old rule: a basic request may use Parley's premium entry.
  auto cheaper = read_as("basic");
  CHECK(cheaper["found"] == true);
  CHECK(cheaper["value"]["translated_text"] == events.results[0].text);
}

TEST_CASE("transcriptions keyed by the audio hash are shared both ways",
          "[io][redis]") {
  redis_server redis;
  log_watch log;
  system_config cfg{scheduler_settings{1, "sharing"}};
  caf::actor_system sys{cfg};
  auto tier = spawn_redis_tier(sys, redis.tier_config());
  caf::scoped_actor self{sys};
  auto up = [&] {
    bool result = false;
    self->request(tier, std::chrono::seconds(5), stats_atom::value)
        .receive([&](metrics& m) { result = m.values["redis_up"] == 1; },
                 [](caf::error&) {});
    return result;
  };
  REQUIRE(log.wait_for("redis: connected to"));
  REQUIRE(up());
  const std::string recording{"RIFF\x00\x01\xff recording bytes", 22};
  old_service(redis, "set_transcription",
              {{"audio_hex", hex(recording)},
               {"text", accented},
               {"language", "fr"},
               {"confidence", 0.87},
               {"duration_ms", 4200},
               {"source", "whisper"},
               {"segments",
                {{{"text", "Ça va"},
                  {"startMs", 0},
                  {"endMs", 900},
                  {"confidence", 0.9}}}}});
  cached_transcript read;
  self->request(tier, std::chrono::seconds(5), lookup_atom::value,
                transcript_key{audio_hash(recording)})
      .receive([&](cached_transcript& reply) { read = std::move(reply); },
               [](caf::error& err) { FAIL(caf::to_string(err)); });
  REQUIRE(read.found);
  CHECK(read.value.text == accented);
  CHECK(read.value.language == "fr");
  CHECK(read.value.duration_ms == 4200);
  CHECK(read.value.confidence == Approx(0.87));
  REQUIRE(read.value.segments.size() == 1);
  CHECK(read.value.segments[0].end_ms == 900);

  const std::string other{"another recording", 17};
  transcription heard;
  heard.text = "ask not what your country";
  heard.language = "en";
  heard.confidence = 0.5f;
  heard.duration_ms = 11000;
  heard.model = "pocketsphinx-en-us";
  heard.segments.push_back({"ask", 290, 690, 0.75f});
  self->send(tier, store_atom::value, transcript_key{audio_hash(other)}, heard);
  REQUIRE(redis.wait_for_key(
      transcript_key_name(transcript_key{audio_hash(other)})));
  auto found =
      old_service(redis, "get_transcription", {{"audio_hex", hex(other)}});
  REQUIRE(found["found"] == true);
  CHECK(found["value"]["text"] == heard.text);
  CHECK(found["value"]["duration_ms"] == 11000);
  CHECK(found["value"]["segments"][0]["endMs"] == 690);
  CHECK(found["python_format"] == true);
  self->send_exit(tier, caf::exit_reason::user_shutdown);
}
