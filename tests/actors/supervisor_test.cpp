#include <catch2/catch.hpp>

#include "messages/error_code.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

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
  auto [name, probe] = make_probe();
  probe->die_budget = 1;
  probe->close_gate();
  auto model = probe_model("m", name);
  model.batching.max_batch = 16;
  runtime_fixture fx{config_with({model})};
  test_client client{fx.system()};
  client.send(fx.rt().router(), make_request(1, "blocker", {"es"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  client.send(fx.rt().router(), make_request(2, "die in a batch", {"es"}));
  for (uint64_t id = 3; id <= 8; ++id)
    client.send(fx.rt().router(),
                make_request(id, "neighbour " + std::to_string(id), {"es"}));
  REQUIRE(eventually([&] {
    return fx.stats().values["model_queue_depth{model=\"m\"}"] == 7;
  }));
  probe->open_gate();
  client.collect(8);
  for (uint64_t id = 1; id <= 8; ++id) {
    INFO("request " << id);
    CHECK(client.events[id].results.size() == 1);
  }
}

TEST_CASE("a model that cannot load answers MODEL_UNAVAILABLE", "[actors]") {
  auto [name, probe] = make_probe();
  probe->fail_load = true;
  auto model = probe_model("m", name);
  model.max_failed_starts = 2;
  runtime_fixture fx{config_with({model})};
  REQUIRE(eventually([&] {
    return fx.stats().values["model_unavailable{model=\"m\"}"] == 1;
  }));
  auto events = fx.translate(make_request(1, "anyone there?", {"es"}));
  REQUIRE(events.failures.size() == 1);
  CHECK(code_of(events.failures[0].reason) == error_code::model_unavailable);
  CHECK(probe->loads >= 2);
}
