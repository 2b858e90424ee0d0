#include <catch2/catch.hpp>

#include "messages/error_code.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

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
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 2; }));
  probe->open_gate();
  client.collect(4);
  CHECK(probe->max_active == 2);
  CHECK(probe->batches == 4);
}

TEST_CASE("jobs queued while the replica is busy leave as one batch",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  auto model = probe_model("m", name);
  model.batching.max_batch = 8;
  runtime_fixture fx{config_with({model})};
  test_client client{fx.system()};
  client.send(fx.rt().router(), make_request(1, "first", {"es"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  for (uint64_t id = 2; id <= 6; ++id)
    client.send(fx.rt().router(),
                make_request(id, "text " + std::to_string(id), {"es"}));
  REQUIRE(eventually([&] {
    return fx.stats().values["model_queue_depth{model=\"m\"}"] == 5;
  }));
  probe->open_gate();
  client.collect(6);
  CHECK(probe->batches == 2);
  CHECK(probe->jobs().size() == 6);
}

TEST_CASE("a full queue answers OVERLOADED and serves the rest", "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  auto model = probe_model("m", name);
  model.batching.max_batch = 1;
  model.batching.queue_capacity = 2;
  runtime_fixture fx{config_with({model})};
  test_client client{fx.system()};
  client.send(fx.rt().router(), make_request(1, "text 1", {"es"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  for (uint64_t id = 2; id <= 5; ++id)
    client.send(fx.rt().router(),
                make_request(id, "text " + std::to_string(id), {"es"}));
  REQUIRE(eventually([&] {
    return fx.stats().values["model_overloaded_total{model=\"m\"}"] == 2;
  }));
  probe->open_gate();
  client.collect(5);
  int completed = 0;
  int overloaded = 0;
  for (auto& [id, events] : client.events) {
    completed += static_cast<int>(events.results.size());
    for (auto& failure : events.failures)
      overloaded += code_of(failure.reason) == error_code::overloaded;
  }
  CHECK(completed == 3);
  CHECK(overloaded == 2);
}

TEST_CASE("interactive jobs are served before background jobs", "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  auto model = probe_model("m", name);
  model.batching.max_batch = 1;
  runtime_fixture fx{config_with({model})};
  test_client client{fx.system()};
  auto background = [](uint64_t id, std::string text) {
    auto request = make_request(id, std::move(text), {"es"});
    request.priority = lane::background;
    return request;
  };
  client.send(fx.rt().router(), background(1, "audio 1"));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  // Each request has its own handler, so arrival order at the pool is
  // only fixed by waiting for each job to be queued before the next.
  auto queued = [&](double depth) {
    return eventually([&] {
      return fx.stats().values["model_queue_depth{model=\"m\"}"] == depth;
    });
  };
  client.send(fx.rt().router(), background(2, "audio 2"));
  REQUIRE(queued(1));
  client.send(fx.rt().router(), background(3, "audio 3"));
  REQUIRE(queued(2));
  client.send(fx.rt().router(), make_request(4, "chat", {"es"}));
  REQUIRE(queued(3));
  probe->open_gate();
  client.collect(4);
  auto jobs = probe->jobs();
  REQUIRE(jobs.size() == 4);
  CHECK(jobs[0] == "en>es:audio 1");
  CHECK(jobs[1] == "en>es:chat");
  CHECK(jobs[2] == "en>es:audio 2");
  CHECK(jobs[3] == "en>es:audio 3");
}
