// Supervision through the real runtime and its model actors, and on CAF's
// test coordinator with replica doubles where what it checks is order and
// time: a batch lost with its replica, and the backoff of failed starts.

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "actors/supervisor.hpp"
#include "messages/error_code.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

/// A pool world whose replica doubles a real supervisor starts; they load
/// unless `loads` is false.
struct supervised_world : pool_world {
  explicit supervised_world(size_t max_batch, size_t max_failed_starts = 3,
                            bool loads = true)
      : pool_world(max_batch) {
    supervisor = spawn_supervisor(
        ds.sys(), supervisor_config{"m", 1, max_failed_starts},
        [pool = model_pool, batches = batches, started = started,
         loads](caf::actor_system& sys, const supervisor_actor& sv) {
          auto replica =
              spawn_held_replica(sys, replica_of_m(), pool, sv, batches, loads);
          started->push_back(replica);
          return replica;
        },
        model_pool);
    start_with_pool();
  }

  ~supervised_world() {
    caf::anon_send_exit(supervisor, caf::exit_reason::user_shutdown);
  }

  std::shared_ptr<std::vector<caf::actor>> started =
      std::make_shared<std::vector<caf::actor>>();
  supervisor_actor supervisor;
};

} // namespace

TEST_CASE("a backend that throws yields an error and the model keeps serving",
          "[actors]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  auto failed = fx.translate(make_request(1, "fail this one", {"es"}));
  REQUIRE(failed.failures.size() == 1);
  CHECK(code_of(failed.failures[0].reason) == error_code::translation_failed);
  auto next = fx.translate(make_request(2, "then this", {"es"}));
  REQUIRE(next.results.size() == 1);
  CHECK(next.results[0].text == "es:then this");
  CHECK(probe->loads == 1);
}

TEST_CASE("a model actor that dies mid-request is restarted and the request "
          "retried",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->die_budget = 1;
  runtime_fixture fx{config_with({probe_model("m", name)})};
  auto events = fx.translate(make_request(1, "die once", {"es"}));
  REQUIRE(events.results.size() == 1);
  CHECK(events.results[0].text == "es:die once");
  CHECK(probe->loads == 2);
  auto stats = fx.stats();
  CHECK(stats.values["model_restarts_total{model=\"m\"}"] == 1);
  CHECK(stats.values["model_retries_total{model=\"m\"}"] == 1);
  auto later = fx.translate(make_request(2, "later", {"es"}));
  CHECK(later.results.size() == 1);
}

TEST_CASE("a request whose model actor dies twice gets MODEL_UNAVAILABLE and "
          "later requests succeed",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->die_budget = 2;
  runtime_fixture fx{config_with({probe_model("m", name)})};
  auto events = fx.translate(make_request(1, "die twice", {"es"}));
  REQUIRE(events.failures.size() == 1);
  CHECK(code_of(events.failures[0].reason) == error_code::model_unavailable);
  auto later = fx.translate(make_request(2, "die no more", {"es"}));
  REQUIRE(later.results.size() == 1);
  CHECK(later.results[0].text == "es:die no more");
  CHECK(probe->loads == 3);
}

TEST_CASE("every request of a batch lost with its model actor is answered",
          "[actors]") {
  supervised_world world{/*max_batch=*/16};
  REQUIRE(world.started->size() == 1);
  auto first = (*world.started)[0];
  world.send(make_request(1, "blocker", {"es"}));
  world.ds.run();
  expect_batch(*world.batches, {"blocker"});
  std::vector<std::string> lost{"die in a batch"};
  world.send(make_request(2, lost[0], {"es"}));
  for (uint64_t id = 3; id <= 8; ++id) {
    lost.push_back("neighbour " + std::to_string(id));
    world.send(make_request(id, lost.back(), {"es"}));
  }
  world.ds.run();
  CHECK(world.pool_stat("model_queue_depth") == 7);
  world.batches->expect_nothing_more();
  // The replica answers the blocker, takes the seven queued jobs as one
  // batch and dies with them.
  caf::anon_send(first, answer_atom::value);
  world.ds.run();
  expect_translation(*world.events, 1, "es");
  expect_done(*world.events, 1, 1, 0);
  expect_batch(*world.batches, lost);
  caf::anon_send(first, die_atom::value);
  world.ds.run();
  // The supervisor starts another at once, and the pool hands it the lost
  // batch whole.
  REQUIRE(world.started->size() == 2);
  expect_batch(*world.batches, lost);
  expect_nothing_before_ping(world);
  caf::anon_send((*world.started)[1], answer_atom::value);
  world.ds.run();
  for (uint64_t id = 2; id <= 8; ++id) {
    INFO("request " << id);
    expect_translation(*world.events, id, "es");
    expect_done(*world.events, id, 1, 0);
  }
  expect_nothing_before_ping(world);
  world.batches->expect_nothing_more();
  CHECK(stats_of(world.ds, world.supervisor)
            .values["model_restarts_total{model=\"m\"}"]
        == 1);
  CHECK(world.pool_stat("model_retries_total") == 7);
}

TEST_CASE("a model that cannot load answers MODEL_UNAVAILABLE", "[actors]") {
  supervised_world world{/*max_batch=*/8, /*max_failed_starts=*/2,
                         /*loads=*/false};
  CHECK(world.started->size() == 1);
  // The failed start is retried after the backoff, not before.
  world.ds.advance(supervisor_first_backoff - 1ms);
  CHECK(world.started->size() == 1);
  CHECK(world.pool_stat("model_unavailable") == 0);
  world.ds.advance(1ms);
  CHECK(world.started->size() == 2);
  // Two failed starts: the pool hears that the model is unavailable.
  CHECK(world.pool_stat("model_unavailable") == 1);
  world.send(make_request(1, "anyone there?", {"es"}));
  world.ds.run();
  expect_failure(*world.events, 1, "es", error_code::model_unavailable);
  expect_done(*world.events, 1, 0, 1);
  expect_nothing_before_ping(world);
  world.batches->expect_nothing_more();
}
