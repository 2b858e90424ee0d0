// Cache hits without a handler: the router asks the cache to answer a
// request whole, and only a miss starts a translation handler. On CAF's test
// coordinator between the real router and cache and a held pool.

#include <catch2/catch.hpp>

#include "actors/telemetry.hpp"
#include "messages/error_code.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

/// Translates request 1, "hello" from English into `targets`, through the
/// held pool, so that the cache holds those languages.
void fill_cache(router_world& world, const std::vector<std::string>& targets) {
  world.send(make_request(1, "hello", targets));
  world.ds.run();
  for (const auto& target : targets) {
    expect_job(*world.jobs, target, "hello");
    world.answer();
  }
  world.ds.run();
  for (const auto& target : targets)
    expect_translation(*world.events, 1, target);
  expect_done(*world.events, 1, static_cast<uint32_t>(targets.size()), 0);
}

double counter(router_world& world, const std::string& name) {
  auto values = stats_of(world.ds, world.router);
  values.merge(stats_of(world.ds, world.cache));
  return values.values[name];
}

const std::string completed =
    "requests_total{type=\"translation\",outcome=\"completed\"}";

} // namespace

TEST_CASE("a request the cache holds in every language is answered by the "
          "cache, with no handler and no job",
          "[actors][cache]") {
  router_world world;
  world.start();
  fill_cache(world, {"es", "fr"});
  CHECK(counter(world, "cache_direct_answers_total") == 0);
  // Spelled otherwise than the first time: events echo the caller's spelling.
  world.send(make_request(2, "hello", {"FR", "es"}));
  world.ds.run();
  auto fr = expect_translation(*world.events, 2, "FR");
  CHECK(fr.from_cache);
  CHECK(fr.text == "fr:hello");
  CHECK(fr.source_lang == "en");
  CHECK(fr.model == "m");
  CHECK(expect_translation(*world.events, 2, "es").text == "es:hello");
  expect_done(*world.events, 2, 2, 0);
  expect_nothing_before_ping(world);
  world.jobs->expect_nothing_more();
  CHECK(counter(world, "cache_direct_answers_total") == 1);
  CHECK(counter(world, completed) == 2);
  CHECK(counter(world, "handlers_active") == 0);
  CHECK(counter(world, "direct_lookups_in_flight") == 0);
}

TEST_CASE("a request the cache misses in one language goes to a handler, "
          "which computes only that language",
          "[actors][cache]") {
  router_world world;
  world.start();
  fill_cache(world, {"es"});
  world.send(make_request(2, "hello", {"es", "fr"}));
  world.ds.run();
  CHECK(expect_translation(*world.events, 2, "es").from_cache);
  expect_job(*world.jobs, "fr", "hello");
  world.jobs->expect_nothing_more();
  world.answer();
  world.ds.run();
  CHECK_FALSE(expect_translation(*world.events, 2, "fr").from_cache);
  expect_done(*world.events, 2, 2, 0);
  expect_nothing_before_ping(world);
  CHECK(counter(world, "cache_direct_answers_total") == 0);
  CHECK(counter(world, completed) == 2);
}

TEST_CASE("requests the cache cannot answer whole never ask it to: a detected "
          "source, the source as a target, a bad code",
          "[actors][cache]") {
  router_world world;
  world.start();
  fill_cache(world, {"es"});
  // The source itself as a target is answered by a handler, without a job.
  world.send(make_request(2, "hello", {"es", "en"}));
  world.ds.run();
  CHECK(expect_translation(*world.events, 2, "en").text == "hello");
  CHECK(expect_translation(*world.events, 2, "es").from_cache);
  expect_done(*world.events, 2, 2, 0);
  world.send(make_request(3, "hello", {"es", "not a language!"}));
  world.ds.run();
  expect_failure(*world.events, 3, "not a language!",
                 error_code::unsupported_language);
  CHECK(expect_translation(*world.events, 3, "es").from_cache);
  expect_done(*world.events, 3, 1, 1);
  expect_nothing_before_ping(world);
  world.jobs->expect_nothing_more();
  CHECK(counter(world, "cache_direct_answers_total") == 0);
}

TEST_CASE("shutdown waits for a request the cache is answering", "[actors]") {
  router_world world;
  world.start();
  fill_cache(world, {"es"});
  world.send(make_request(2, "hello", {"es"}));
  // The cache holds the lookup while the shutdown reaches the router.
  world.ds.run_except(world.cache);
  caf::anon_send(world.client, shutdown_atom::value, caf::timespan{30s});
  world.ds.run_except(world.cache);
  caf::anon_send(world.client, ping_atom::value);
  world.ds.run_except(world.cache);
  expect_atom(*world.events, ping_atom::value);
  // Not drained yet: the router still waits for the cache.
  world.events->expect_nothing_more();
  world.ds.run();
  CHECK(expect_translation(*world.events, 2, "es").from_cache);
  expect_done(*world.events, 2, 1, 0);
  expect_atom(*world.events, done_atom::value);
  expect_nothing_before_ping(world);
}

TEST_CASE("a request the cache answers whole is counted as a handler's "
          "would be: its pair's latency, characters and cache answers",
          "[actors][cache][telemetry]") {
  router_world world;
  auto telemetry = spawn_telemetry(world.ds.sys());
  router_setup setup{};
  setup.telemetry = telemetry;
  world.start(setup);
  fill_cache(world, {"es"});
  world.send(make_request(2, "hello", {"es"}));
  world.ds.run();
  CHECK(expect_translation(*world.events, 2, "es").from_cache);
  expect_done(*world.events, 2, 1, 0);
  CHECK(counter(world, "cache_direct_answers_total") == 1);
  auto series = stats_of(world.ds, telemetry).values;
  // Request 1 through a handler, request 2 through the cache alone.
  CHECK(series["pair_latency_seconds_count{pair=\"en-es\"}"] == 2);
  CHECK(series["pair_characters_total{pair=\"en-es\"}"] == 10);
  CHECK(series["pair_cache_answers_total{pair=\"en-es\"}"] == 1);
  caf::anon_send_exit(telemetry, caf::exit_reason::user_shutdown);
}
