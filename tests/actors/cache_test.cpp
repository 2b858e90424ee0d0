#include <catch2/catch.hpp>

#include <caf/scoped_actor.hpp>

#include "actors/cache.hpp"
#include "messages/cache_types.hpp"
#include "messages/error_code.hpp"
#include "server/system_config.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

namespace {

cache_answer lookup(caf::scoped_actor& self, const cache_actor& cache,
                    std::vector<std::string> targets,
                    const std::string& text = "hello") {
  cache_answer answer;
  self->send(cache, lookup_atom::value,
             cache_query{"m", "en", text, std::move(targets)});
  self->receive([&](cache_answer& x) { answer = std::move(x); },
                caf::after(std::chrono::seconds(5)) >>
                    [] { FAIL("no answer"); });
  return answer;
}

void store(caf::scoped_actor& self, const cache_actor& cache,
           const std::string& target, const std::string& value,
           const std::string& text = "hello") {
  self->send(cache, store_atom::value,
             cache_fill{{"m", "en", target, text}, {value, {"en", target}}});
}

metrics cache_stats(caf::scoped_actor& self, const cache_actor& cache) {
  metrics result;
  self->request(cache, std::chrono::seconds(5), stats_atom::value)
      .receive([&](metrics& m) { result = std::move(m); },
               [&](caf::error& err) { FAIL(caf::to_string(err)); });
  return result;
}

} // namespace

TEST_CASE("a second identical request never reaches the model", "[actors]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  auto first = fx.translate(make_request(1, "good morning", {"es"}));
  REQUIRE(first.results.size() == 1);
  CHECK_FALSE(first.results[0].from_cache);
  CHECK(probe->jobs().size() == 1);
  auto second = fx.translate(make_request(2, "good morning", {"es"}));
  REQUIRE(second.results.size() == 1);
  CHECK(second.results[0].from_cache);
  CHECK(second.results[0].text == first.results[0].text);
  CHECK(probe->jobs().size() == 1);
  CHECK(probe->batches == 1);
}

TEST_CASE("only the languages missing from the cache reach the model",
          "[actors]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  fx.translate(make_request(1, "good night", {"es"}));
  auto events = fx.translate(make_request(2, "good night", {"es", "fr", "de"}));
  REQUIRE(events.results.size() == 3);
  CHECK(events.result_for("es")->from_cache);
  CHECK_FALSE(events.result_for("fr")->from_cache);
  CHECK_FALSE(events.result_for("de")->from_cache);
  auto jobs = probe->jobs();
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0] == "en>es:good night");
  std::sort(jobs.begin() + 1, jobs.end());
  CHECK(jobs[1] == "en>de:good night");
  CHECK(jobs[2] == "en>fr:good night");
}

TEST_CASE("identical concurrent misses cause one backend call", "[actors]") {
  router_world world;
  world.start();
  constexpr uint64_t requests = 20;
  for (uint64_t id = 1; id <= requests; ++id)
    world.send(make_request(id, "same text", {"es"}));
  world.ds.run();
  auto job = expect_job(*world.jobs, "es", "same text");
  world.jobs->expect_nothing_more();
  CHECK(stats_of(world.ds, world.cache).values["cache_coalesced_total"]
        == requests - 1);
  expect_nothing_before_ping(world);
  world.answer();
  world.ds.run();
  // The leader answers first; the cache then fills every waiter in the
  // order they asked.
  for (uint64_t id = 1; id <= requests; ++id) {
    CHECK(expect_translation(*world.events, id, "es").text
          == translated_text(job));
    expect_done(*world.events, id, 1, 0);
  }
  expect_nothing_before_ping(world);
  world.jobs->expect_nothing_more();
}

TEST_CASE("waiters of a failed miss get the failure too", "[actors]") {
  router_world world;
  world.start();
  for (uint64_t id = 1; id <= 3; ++id)
    world.send(make_request(id, "fail now", {"es"}));
  world.ds.run();
  expect_job(*world.jobs, "es", "fail now");
  world.jobs->expect_nothing_more();
  CHECK(stats_of(world.ds, world.cache).values["cache_coalesced_total"] == 2);
  caf::anon_send(world.pool, answer_atom::value,
                 make_error(error_code::translation_failed, "held pool"));
  world.ds.run();
  for (uint64_t id = 1; id <= 3; ++id) {
    expect_failure(*world.events, id, "es", error_code::translation_failed);
    expect_done(*world.events, id, 0, 1);
  }
  expect_nothing_before_ping(world);
  world.jobs->expect_nothing_more();
}

TEST_CASE("the cache holds at most its capacity and evicts the least "
          "recently used entry",
          "[actors]") {
  system_config cfg;
  caf::actor_system sys{cfg};
  auto cache = spawn_cache(sys, 2);
  caf::scoped_actor self{sys};
  // Two misses make this actor the leader of a and b; it stores both.
  auto first = lookup(self, cache, {"a", "b"});
  REQUIRE(first.slots.size() == 2);
  CHECK(first.slots[0].state == slot_state::lead);
  CHECK(first.slots[1].state == slot_state::lead);
  store(self, cache, "a", "A");
  store(self, cache, "b", "B");
  // Reading a makes b the least recently used entry.
  auto hit = lookup(self, cache, {"a"});
  REQUIRE(hit.slots[0].state == slot_state::hit);
  CHECK(hit.slots[0].value.text == "A");
  lookup(self, cache, {"c"});
  store(self, cache, "c", "C");
  auto after = lookup(self, cache, {"a", "b", "c"});
  CHECK(after.slots[0].state == slot_state::hit);
  CHECK(after.slots[1].state == slot_state::lead);
  CHECK(after.slots[2].state == slot_state::hit);
  auto stats = cache_stats(self, cache);
  CHECK(stats.values["cache_entries"] == 2);
  CHECK(stats.values["cache_evictions_total"] == 1);
  // Hits: a, then a and c. Misses: a, b, c, then b.
  CHECK(stats.values["cache_hits_total"] == 3);
  CHECK(stats.values["cache_misses_total"] == 4);
  caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
}

TEST_CASE("a smaller capacity set while serving evicts the least recently "
          "used entries",
          "[actors][reload]") {
  system_config cfg;
  caf::actor_system sys{cfg};
  auto cache = spawn_cache(sys, 3);
  caf::scoped_actor self{sys};
  lookup(self, cache, {"a", "b", "c"});
  store(self, cache, "a", "A");
  store(self, cache, "b", "B");
  store(self, cache, "c", "C");
  bool resized = false;
  self->request(cache, std::chrono::seconds(5), capacity_atom::value,
                uint64_t{1})
      .receive([&](done_atom) { resized = true; },
               [&](caf::error& err) { FAIL(caf::to_string(err)); });
  CHECK(resized);
  auto stats = cache_stats(self, cache);
  CHECK(stats.values["cache_capacity"] == 1);
  CHECK(stats.values["cache_entries"] == 1);
  CHECK(stats.values["cache_evictions_total"] == 2);
  // c was stored last: it stays; a is gone.
  auto after = lookup(self, cache, {"c", "a"});
  CHECK(after.slots[0].state == slot_state::hit);
  CHECK(after.slots[1].state == slot_state::lead);
  caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
}

TEST_CASE("waiters are released when the leading request ends without an "
          "answer",
          "[actors]") {
  system_config cfg;
  caf::actor_system sys{cfg};
  auto cache = spawn_cache(sys, 10);
  caf::scoped_actor waiter{sys};
  {
    caf::scoped_actor leader{sys};
    REQUIRE(lookup(leader, cache, {"es"}).slots[0].state == slot_state::lead);
    REQUIRE(lookup(waiter, cache, {"es"}).slots[0].state == slot_state::wait);
  } // the leader ends here
  bool released = false;
  waiter->receive(
      [&](fill_atom, const std::string& target, const caf::error& reason) {
        CHECK(target == "es");
        CHECK(code_of(reason) == error_code::internal_error);
        released = true;
      },
      caf::after(std::chrono::seconds(10)) >> [] {});
  CHECK(released);
  caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
}
