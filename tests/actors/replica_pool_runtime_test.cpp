// The pool behind the router: real model actors on their own threads where
// the point is threads (one inference at a time each, replicas side by
// side), and on CAF's test coordinator with a replica double where it is the
// order of batches, lanes and refusals.

#include <catch2/catch.hpp>

#include "messages/error_code.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

namespace {

/// A pool world with one replica double, which holds each batch.
struct pooled_world : pool_world {
  explicit pooled_world(size_t max_batch, size_t queue_capacity = 1024)
      : pool_world(max_batch, queue_capacity) {
    replica =
        spawn_held_replica(ds.sys(), replica_of_m(), model_pool, {}, batches);
    start_with_pool();
  }

  ~pooled_world() {
    caf::anon_send_exit(replica, caf::exit_reason::user_shutdown);
  }

  /// The replica answers the batch it holds.
  void answer_batch() {
    caf::anon_send(replica, answer_atom::value);
    ds.run();
  }

  caf::actor replica;
};

std::string text_of(uint64_t id) {
  return "text " + std::to_string(id);
}

} // namespace

TEST_CASE("a model actor never runs two inferences at once", "[actors]") {
  auto [name, probe] = make_probe();
  probe->delay = std::chrono::milliseconds(1);
  auto model = probe_model("m", name);
  model.batching.max_batch = 1;
  runtime_fixture fx{config_with({model}), 4};
  test_client client{fx.system()};
  constexpr uint64_t requests = 100;
  for (uint64_t id = 1; id <= requests; ++id)
    client.send(fx.rt().router(),
                make_request(id, "text " + std::to_string(id), {"es"}));
  client.collect(requests);
  for (uint64_t id = 1; id <= requests; ++id)
    CHECK(client.events[id].results.size() == 1);
  CHECK(probe->batches == static_cast<int>(requests));
  CHECK(probe->max_active == 1);
}

TEST_CASE("replicas of one model run side by side, each one batch at a time",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  auto model = probe_model("m", name, /*replicas=*/2);
  model.batching.max_batch = 1;
  runtime_fixture fx{config_with({model})};
  test_client client{fx.system()};
  for (uint64_t id = 1; id <= 4; ++id)
    client.send(fx.rt().router(),
                make_request(id, "text " + std::to_string(id), {"es"}));
  REQUIRE(probe->await_at_gate(2));
  probe->open_gate();
  client.collect(4);
  CHECK(probe->max_active == 2);
  CHECK(probe->batches == 4);
}

TEST_CASE("jobs queued while the replica is busy leave as one batch",
          "[actors]") {
  pooled_world world{/*max_batch=*/8};
  world.send(make_request(1, "first", {"es"}));
  world.ds.run();
  expect_batch(*world.batches, {"first"});
  std::vector<std::string> queued;
  for (uint64_t id = 2; id <= 6; ++id) {
    queued.push_back(text_of(id));
    world.send(make_request(id, text_of(id), {"es"}));
  }
  world.ds.run();
  CHECK(world.pool_stat("model_queue_depth") == 5);
  world.batches->expect_nothing_more();
  world.answer_batch();
  expect_translation(*world.events, 1, "es");
  expect_done(*world.events, 1, 1, 0);
  expect_batch(*world.batches, queued);
  world.answer_batch();
  for (uint64_t id = 2; id <= 6; ++id) {
    expect_translation(*world.events, id, "es");
    expect_done(*world.events, id, 1, 0);
  }
  expect_nothing_before_ping(world);
  world.batches->expect_nothing_more();
}

TEST_CASE("a full queue answers OVERLOADED and serves the rest", "[actors]") {
  pooled_world world{/*max_batch=*/1, /*queue_capacity=*/2};
  world.send(make_request(1, text_of(1), {"es"}));
  world.ds.run();
  expect_batch(*world.batches, {text_of(1)});
  for (uint64_t id = 2; id <= 5; ++id)
    world.send(make_request(id, text_of(id), {"es"}));
  world.ds.run();
  // Two jobs fit the queue; the two after them are refused at once.
  for (uint64_t id = 4; id <= 5; ++id) {
    expect_failure(*world.events, id, "es", error_code::overloaded);
    expect_done(*world.events, id, 0, 1);
  }
  expect_nothing_before_ping(world);
  CHECK(world.pool_stat("model_overloaded_total") == 2);
  for (uint64_t id = 1; id <= 3; ++id) {
    world.answer_batch();
    expect_translation(*world.events, id, "es");
    expect_done(*world.events, id, 1, 0);
    if (id < 3)
      expect_batch(*world.batches, {text_of(id + 1)});
  }
  expect_nothing_before_ping(world);
  world.batches->expect_nothing_more();
}

TEST_CASE("interactive jobs are served before background jobs", "[actors]") {
  pooled_world world{/*max_batch=*/1};
  auto background = [](uint64_t id, std::string text) {
    auto request = make_request(id, std::move(text), {"es"});
    request.priority = lane::background;
    return request;
  };
  world.send(background(1, "audio 1"));
  world.ds.run();
  expect_batch(*world.batches, {"audio 1"});
  // On the test coordinator, jobs reach the pool in the order they are
  // sent.
  world.send(background(2, "audio 2"));
  world.send(background(3, "audio 3"));
  world.send(make_request(4, "chat", {"es"}));
  world.ds.run();
  CHECK(world.pool_stat("model_queue_depth") == 3);
  std::vector<std::pair<uint64_t, std::string>> served{
      {1, "audio 1"}, {4, "chat"}, {2, "audio 2"}, {3, "audio 3"}};
  for (size_t i = 0; i < served.size(); ++i) {
    world.answer_batch();
    expect_translation(*world.events, served[i].first, "es");
    expect_done(*world.events, served[i].first, 1, 0);
    if (i + 1 < served.size())
      expect_batch(*world.batches, {served[i + 1].second});
  }
  expect_nothing_before_ping(world);
  world.batches->expect_nothing_more();
}
