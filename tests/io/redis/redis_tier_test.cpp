// The shared cache tier against a real redis-server, inside one process: the
// runtime with the probe model and io/redis/redis_tier. The tests wait on
// events: the tier's own log lines when it connects or gives Redis up, and the
// keyspace events of the keys it writes. Its ordering and timing, stepped
// by hand, are in tests/io/redis/redis_connections_test.cpp and
// tests/io/redis/redis_lock_test.cpp.

#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "io/redis/redis_format.hpp"
#include "tests/support/log_watch.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

double stat(runtime_fixture& f, const std::string& name) {
  auto values = f.stats().values;
  auto i = values.find(name);
  return i == values.end() ? 0 : i->second;
}

/// Waits for the next tier to log that it connected; then Redis is used.
bool comes_up(log_watch& log, runtime_fixture& f) {
  return log.wait_for("redis: connected to") && stat(f, "redis_up") == 1;
}

/// Waits for the tier to log that Redis failed; then it is not used.
bool goes_down(log_watch& log, runtime_fixture& f) {
  return log.wait_for("serving from the local cache")
         && stat(f, "redis_up") == 0;
}

std::string key_of(const std::string& text, const std::string& source,
                   const std::string& target, const std::string& type) {
  return text_key_name(text_hash(tier_text_key{type, source, target, text}));
}

/// Writes a translation under its key as the old service writes it.
void put_translation(redis_server& redis, const std::string& text,
                     const std::string& source, const std::string& target,
                     const std::string& type, const std::string& translated) {
  tier_text_key key{type, source, target, text};
  auto hash = text_hash(key);
  redis.set(text_key_name(hash),
            encode_text_value(key, translated, hash, "2026-11-01T10:00:00.5"));
}

} // namespace

TEST_CASE("a local miss that Redis holds never reaches the model and fills "
          "the local tier",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                    redis.tier_config()};
  REQUIRE(comes_up(log, f));
  put_translation(redis, "The cat is black.", "en", "es", "basic",
                  "El gato es negro (from Redis).");
  auto first =
      f.translate(make_request(1, "The cat is black.", {"es"}, "en", "basic"));
  REQUIRE(first.results.size() == 1);
  CHECK(first.results[0].text == "El gato es negro (from Redis).");
  CHECK(first.results[0].from_cache);
  CHECK(control->jobs().empty());
  CHECK(stat(f, "redis_hits_total{kind=\"text\"}") == 1);
  // The second request is served by the local tier: Redis is not asked.
  auto second =
      f.translate(make_request(2, "The cat is black.", {"es"}, "en", "basic"));
  REQUIRE(second.results.size() == 1);
  CHECK(second.results[0].text == "El gato es negro (from Redis).");
  CHECK(stat(f, "cache_hits_total") == 1);
  CHECK(stat(f, "redis_hits_total{kind=\"text\"}") == 1);
  CHECK(control->jobs().empty());
}

TEST_CASE("a model result is written to Redis in the old service's format "
          "and warms a fresh front",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  const std::string text = "Ça va? Naïve café 😀";
  log_watch log;
  {
    runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                      redis.tier_config()};
    REQUIRE(comes_up(log, f));
    auto events = f.translate(make_request(1, text, {"es"}, "fr"));
    REQUIRE(events.results.size() == 1);
    CHECK_FALSE(events.results[0].from_cache);
    CHECK(control->batches == 1); // one text, one model call
    // No model type in the request: the old service's default, basic.
    auto key = key_of(text, "fr", "es", "basic");
    REQUIRE(redis.wait_for_key(key));
    auto value = nlohmann::json::parse(*redis.get(key));
    CHECK(value["translated_text"] == events.results[0].text);
    CHECK(value["source_lang"] == "fr");
    CHECK(value["target_lang"] == "es");
    CHECK(value["model_type"] == "basic");
    CHECK(value["text_hash"] == key.substr(key.rfind(':') + 1));
    CHECK_FALSE(value["cached_at"].get<std::string>().empty());
    auto ttl = redis.ttl(key);
    CHECK(ttl > 2592000 - 60);
    CHECK(ttl <= 2592000);
  }
  // A restart starts warm: a new runtime answers from Redis.
  runtime_fixture again{config_with({probe_model("probe", name)}), 2, false,
                        redis.tier_config()};
  REQUIRE(comes_up(log, again));
  auto events = again.translate(make_request(2, text, {"es"}, "fr"));
  REQUIRE(events.results.size() == 1);
  CHECK(events.results[0].from_cache);
  CHECK(control->batches == 1);
}

TEST_CASE("a request for a cheaper model uses a cached premium translation, "
          "never the reverse",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                    redis.tier_config()};
  REQUIRE(comes_up(log, f));
  put_translation(redis, "Good morning.", "en", "es", "premium",
                  "Buenos días (premium).");
  put_translation(redis, "Good night.", "en", "es", "basic",
                  "Buenas noches (basic).");
  auto basic =
      f.translate(make_request(1, "Good morning.", {"es"}, "en", "basic"));
  REQUIRE(basic.results.size() == 1);
  CHECK(basic.results[0].text == "Buenos días (premium).");
  auto medium =
      f.translate(make_request(2, "Good morning.", {"es"}, "en", "medium"));
  REQUIRE(medium.results.size() == 1);
  CHECK(medium.results[0].text == "Buenos días (premium).");
  CHECK(stat(f, "redis_premium_hits_total") >= 1);
  CHECK(control->jobs().empty());
  auto premium =
      f.translate(make_request(3, "Good night.", {"es"}, "en", "premium"));
  REQUIRE(premium.results.size() == 1);
  CHECK(premium.results[0].text == "es:Good night.");
  CHECK(control->jobs().size() == 1);
}

TEST_CASE("garbage under a valid key is a miss, and the model's result "
          "replaces it",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                    redis.tier_config()};
  REQUIRE(comes_up(log, f));
  const std::vector<std::string> garbage = {
      "not json at all", R"({"translated_text": 42})", "[1, 2, 3]",
      std::string{"\xff\xfe\x00\x01", 4}, R"({"translated_text": "trunc)"};
  for (size_t i = 0; i < garbage.size(); ++i)
    redis.set(key_of("text " + std::to_string(i), "en", "es", "basic"),
              garbage[i]);
  for (size_t i = 0; i < garbage.size(); ++i) {
    auto text = "text " + std::to_string(i);
    auto events = f.translate(make_request(i + 1, text, {"es"}));
    REQUIRE(events.results.size() == 1);
    CHECK(events.results[0].text == "es:" + text);
    CHECK_FALSE(events.results[0].from_cache);
  }
  CHECK(control->jobs().size() == garbage.size());
  CHECK(stat(f, "redis_corrupt_total") == garbage.size());
  auto key = key_of("text 0", "en", "es", "basic");
  REQUIRE(key_events{redis, key}.wait_until(
      [](const std::optional<std::string>& value) {
        return value && value->find("es:text 0") != std::string::npos;
      }));
}

TEST_CASE("Redis killed while serving: requests are answered, and after a "
          "restart Redis is used again",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false,
                    redis.tier_config()};
  REQUIRE(comes_up(log, f));
  REQUIRE(f.translate(make_request(1, "before", {"es"})).results.size() == 1);
  redis.kill();
  for (uint64_t id = 2; id < 12; ++id) {
    auto events =
        f.translate(make_request(id, "during " + std::to_string(id), {"es"}));
    REQUIRE(events.results.size() == 1);
  }
  CHECK(goes_down(log, f));
  CHECK(stat(f, "redis_errors_total") >= 1);
  // The local tier still serves what it holds.
  auto local = f.translate(make_request(20, "before", {"es"}));
  REQUIRE(local.results.size() == 1);
  CHECK(local.results[0].from_cache);
  redis.start();
  REQUIRE(comes_up(log, f));
  REQUIRE(f.translate(make_request(21, "after", {"es"})).results.size() == 1);
  CHECK(redis.wait_for_key(key_of("after", "en", "es", "basic")));
}

TEST_CASE("Redis stopped with SIGSTOP: lookups time out as misses and every "
          "request is answered while it stays stopped",
          "[io][redis]") {
  redis_server redis;
  auto [name, control] = make_probe();
  auto tier = redis.tier_config();
  tier.timeout = 20ms;
  log_watch log;
  runtime_fixture f{config_with({probe_model("probe", name)}), 2, false, tier};
  REQUIRE(comes_up(log, f));
  redis.pause();
  for (uint64_t id = 1; id <= 20; ++id) {
    auto events = f.translate(
        make_request(id, "stalled " + std::to_string(id), {"es", "fr"}));
    REQUIRE(events.results.size() == 2);
  }
  // Answered while Redis still answers nothing: no lookup waited on it.
  CHECK(control->jobs().size() == 40);
  CHECK(stat(f, "redis_timeouts_total") + stat(f, "redis_unavailable_total")
        >= 1);
  // The stalled pipeline fails after its own socket timeout.
  CHECK(goes_down(log, f));
  redis.resume();
  REQUIRE(comes_up(log, f));
  REQUIRE(f.translate(make_request(50, "resumed", {"es"})).results.size() == 1);
  CHECK(redis.wait_for_key(key_of("resumed", "en", "es", "basic")));
}

TEST_CASE("two fronts sharing Redis translate each new text once",
          "[io][redis]") {
  redis_server redis;
  auto tier = redis.tier_config();
  tier.lock_wait = 20s;
  tier.lock_ttl = 30s;
  auto [name_a, control_a] = make_probe();
  auto [name_b, control_b] = make_probe();
  log_watch log;
  runtime_fixture front_a{config_with({probe_model("probe", name_a)}), 1, false,
                          tier};
  runtime_fixture front_b{config_with({probe_model("probe", name_b)}), 1, false,
                          tier};
  // Both tiers log it, in either order.
  REQUIRE(log.wait_for("redis: connected to"));
  REQUIRE(log.wait_for("redis: connected to"));
  REQUIRE(stat(front_a, "redis_up") == 1);
  REQUIRE(stat(front_b, "redis_up") == 1);
  SECTION("50 different texts, each sent to both fronts at once") {
    test_client client_a{front_a.system()};
    test_client client_b{front_b.system()};
    for (uint64_t id = 1; id <= 50; ++id) {
      auto text = "new text " + std::to_string(id);
      client_a.send(front_a.rt().router(), make_request(id, text, {"es"}));
      client_b.send(front_b.rt().router(), make_request(id, text, {"es"}));
    }
    client_a.collect(50);
    client_b.collect(50);
    for (uint64_t id = 1; id <= 50; ++id) {
      auto expected = "es:new text " + std::to_string(id);
      REQUIRE(client_a.events[id].results.size() == 1);
      REQUIRE(client_b.events[id].results.size() == 1);
      CHECK(client_a.events[id].results[0].text == expected);
      CHECK(client_b.events[id].results[0].text == expected);
    }
    auto jobs = control_a->jobs();
    auto jobs_b = control_b->jobs();
    jobs.insert(jobs.end(), jobs_b.begin(), jobs_b.end());
    CHECK(jobs.size() == 50);
    CHECK(std::set<std::string>(jobs.begin(), jobs.end()).size() == 50);
  }
  SECTION("one new text sent 50 times to both fronts at once") {
    // The gates hold the inference, so the other front has to find the
    // claim: without the lock both fronts would reach their gate.
    control_a->close_gate();
    control_b->close_gate();
    test_client client_a{front_a.system()};
    test_client client_b{front_b.system()};
    for (uint64_t id = 1; id <= 50; ++id) {
      client_a.send(front_a.rt().router(),
                    make_request(id, "the same new text", {"es"}));
      client_b.send(front_b.rt().router(),
                    make_request(id, "the same new text", {"es"}));
    }
    CHECK(eventually([&] {
      return control_a->waiting_at_gate + control_b->waiting_at_gate == 1
             && stat(front_a, "redis_lock_waits_total")
                        + stat(front_b, "redis_lock_waits_total")
                    == 1;
    }));
    control_a->open_gate();
    control_b->open_gate();
    client_a.collect(50);
    client_b.collect(50);
    for (uint64_t id = 1; id <= 50; ++id) {
      REQUIRE(client_a.events[id].results.size() == 1);
      REQUIRE(client_b.events[id].results.size() == 1);
    }
    CHECK(control_a->jobs().size() + control_b->jobs().size() == 1);
  }
}

TEST_CASE("a front releases only its own claim: a claim that expired and was "
          "taken by another front stays theirs",
          "[io][redis]") {
  redis_server redis;
  auto tier = redis.tier_config();
  tier.lock_ttl = 300ms;
  auto [name, control] = make_probe();
  log_watch log;
  runtime_fixture front{config_with({probe_model("probe", name)}), 1, false,
                        tier};
  REQUIRE(comes_up(log, front));
  control->close_gate();
  test_client client{front.system()};
  auto lock = "parley:lock:" + key_of("a claimed text", "en", "es", "basic");
  key_events lock_events{redis, lock};
  client.send(front.rt().router(), make_request(1, "a claimed text", {"es"}));
  // This front claims the text and computes it behind the gate; its claim
  // expires meanwhile, and another front claims the text.
  REQUIRE(lock_events.wait_for("set"));
  REQUIRE(lock_events.wait_for("expired"));
  redis.set(lock, "another-front");
  control->open_gate();
  client.collect(1);
  REQUIRE(client.events[1].results.size() == 1);
  CHECK(control->jobs().size() == 1);
  // A second text, computed after the first: its value reaches Redis on the
  // same connection after the first one's release, so once it is there the
  // release has run.
  client.send(front.rt().router(), make_request(2, "a later text", {"es"}));
  client.collect(1);
  REQUIRE(redis.wait_for_key(key_of("a later text", "en", "es", "basic")));
  CHECK(redis.get(key_of("a claimed text", "en", "es", "basic")).has_value());
  CHECK(redis.get(lock) == std::optional<std::string>{"another-front"});
}
