// The router through the real runtime, and on CAF's test coordinator
// between test doubles (tests/support/actor_doubles.hpp) where what it
// checks is order and time: drains, deadlines and shutdown.

#include <catch2/catch.hpp>

#include <string>

#include "messages/error_code.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

error_code failure_code(const request_events& events, size_t index = 0) {
  REQUIRE(events.failures.size() > index);
  return code_of(events.failures[index].reason);
}

} // namespace

TEST_CASE("a request to a free model completes while another model is stuck",
          "[actors]") {
  auto [slow_name, slow] = make_probe();
  auto [fast_name, fast] = make_probe();
  slow->close_gate();
  runtime_fixture fx{config_with(
      {probe_model("slow", slow_name), probe_model("fast", fast_name)})};
  test_client client{fx.system()};
  client.send(fx.rt().router(),
              make_request(1, "long job", {"es"}, "en", "slow"));
  REQUIRE(slow->await_at_gate(1));
  for (uint64_t id = 2; id <= 11; ++id)
    client.send(
        fx.rt().router(),
        make_request(id, "quick " + std::to_string(id), {"es"}, "en", "fast"));
  client.collect(10);
  // Every fast request finished while the slow inference was still held.
  CHECK(slow->waiting_at_gate == 1);
  CHECK_FALSE(client.events[1].done);
  for (uint64_t id = 2; id <= 11; ++id)
    CHECK(client.events[id].results.size() == 1);
  auto stats = fx.stats();
  CHECK(
      stats.values["requests_total{type=\"translation\",outcome=\"received\"}"]
      == 11);
  CHECK(stats.values["requests_active{type=\"translation\"}"] == 1);
  slow->open_gate();
  client.collect(1);
  CHECK(client.done_order.back() == 1);
  REQUIRE(client.events[1].results.size() == 1);
  CHECK(client.events[1].results[0].model == "slow");
}

TEST_CASE("each target language is answered on its own and one failure "
          "spares the others",
          "[actors]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  auto events = fx.translate(
      make_request(1, "hello", {"es", "not a language!", "fr", "es", "en"}));
  REQUIRE(events.done);
  CHECK(events.results.size() == 3); // es, fr and en (the source itself)
  CHECK(events.result_for("es")->text == "es:hello");
  CHECK(events.result_for("fr")->text == "fr:hello");
  CHECK(events.result_for("en")->text == "hello");
  REQUIRE(events.failures.size() == 1);
  CHECK(events.failures[0].target_lang == "not a language!");
  CHECK(code_of(events.failures[0].reason) == error_code::unsupported_language);
  CHECK(probe->jobs().size() == 2);
}

TEST_CASE("targets are answered once each after normalization, whatever "
          "the source",
          "[actors]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  std::vector<std::string> same_as_source(500, "en");
  same_as_source.emplace_back("EN");
  auto echoed = fx.translate(make_request(1, "hello", same_as_source));
  REQUIRE(echoed.done);
  REQUIRE(echoed.results.size() == 1);
  CHECK(echoed.results[0].text == "hello");
  CHECK(echoed.failures.empty());
  std::vector<std::string> spelled{"es", "ES", "es", "fr", "Fr", "en"};
  auto mixed = fx.translate(make_request(2, "hi", spelled));
  REQUIRE(mixed.done);
  CHECK(mixed.results.size() == 3);
  CHECK(mixed.result_for("es")->text == "es:hi");
  CHECK(mixed.result_for("fr")->text == "fr:hi");
  CHECK(probe->jobs().size() == 2);
}

TEST_CASE("bad requests get typed errors and the router keeps serving",
          "[actors]") {
  auto [name, probe] = make_probe();
  auto cfg = config_with({probe_model("m", name)});
  cfg.max_text_chars = 10;
  runtime_fixture fx{cfg};
  CHECK(failure_code(fx.translate(make_request(1, "", {"es"})))
        == error_code::invalid_request);
  CHECK(failure_code(fx.translate(make_request(2, "  \n\t ", {"es"})))
        == error_code::invalid_request);
  CHECK(failure_code(fx.translate(make_request(3, "bad \xC3\x28 utf8", {"es"})))
        == error_code::invalid_request);
  CHECK(failure_code(
            fx.translate(make_request(4, std::string("a\0b", 3), {"es"})))
        == error_code::invalid_request);
  CHECK(failure_code(fx.translate(make_request(5, "eleven char", {"es"})))
        == error_code::message_too_long);
  // Ten characters of two bytes each are within the limit.
  auto accented = fx.translate(make_request(6, "éééééééééé", {"es"}));
  CHECK(accented.results.size() == 1);
  CHECK(failure_code(fx.translate(make_request(7, "hello", {})))
        == error_code::invalid_request);
  auto unknown_source = fx.translate(make_request(8, "hello", {"es"}, "??"));
  CHECK(failure_code(unknown_source) == error_code::unsupported_language);
  auto fine = fx.translate(make_request(9, "hello", {"es"}));
  REQUIRE(fine.results.size() == 1);
  auto stats = fx.stats();
  CHECK(
      stats.values["requests_total{type=\"translation\",outcome=\"received\"}"]
      == 9);
  CHECK(
      stats.values["requests_total{type=\"translation\",outcome=\"completed\"}"]
      == 2);
  CHECK(stats.values["requests_total{type=\"translation\",outcome=\"failed\"}"]
        == 7);
  CHECK(probe->jobs().size() == 2);
}

namespace {

/// Sends requests 1 to 3, each into es and fr, and expects the pool to hold
/// their six jobs, in order.
void send_three_held(router_world& world) {
  for (uint64_t id = 1; id <= 3; ++id)
    world.send(make_request(id, "text " + std::to_string(id), {"es", "fr"}));
  world.ds.run();
  for (uint64_t id = 1; id <= 3; ++id) {
    expect_job(*world.jobs, "es", "text " + std::to_string(id));
    expect_job(*world.jobs, "fr", "text " + std::to_string(id));
  }
  world.jobs->expect_nothing_more();
}

void shut_down(router_world& world, caf::timespan drain) {
  caf::anon_send(world.client, shutdown_atom::value, drain);
  world.ds.run();
}

} // namespace

TEST_CASE("shutdown lets accepted requests finish within the drain time",
          "[actors]") {
  router_world world;
  world.start();
  send_three_held(world);
  shut_down(world, 30s);
  CHECK(stats_of(world.ds, world.router).values["router_draining"] == 1);
  // Requests after the start of the shutdown are refused.
  world.send(make_request(99, "late", {"es"}));
  world.ds.run();
  expect_failure(*world.events, 99, "", error_code::model_unavailable);
  expect_done(*world.events, 99, 0, 1);
  expect_nothing_before_ping(world);
  world.jobs->expect_nothing_more();
  // Each accepted request finishes as its jobs are answered; the shutdown
  // is answered once the last one is done, and not before.
  for (uint64_t id = 1; id <= 3; ++id) {
    world.answer();
    world.ds.run();
    expect_translation(*world.events, id, "es");
    world.answer();
    world.ds.run();
    expect_translation(*world.events, id, "fr");
    expect_done(*world.events, id, 2, 0);
    if (id < 3)
      expect_nothing_before_ping(world);
  }
  expect_atom(*world.events, done_atom::value);
  expect_nothing_before_ping(world);
}

TEST_CASE("shutdown answers TIMEOUT for what the drain time did not cover",
          "[actors]") {
  router_world world;
  world.start();
  send_three_held(world);
  shut_down(world, 50ms);
  world.ds.advance(49ms);
  expect_nothing_before_ping(world);
  world.ds.advance(1ms);
  for (uint64_t id = 1; id <= 3; ++id) {
    expect_failure(*world.events, id, "es", error_code::timeout);
    expect_failure(*world.events, id, "fr", error_code::timeout);
    expect_done(*world.events, id, 0, 2);
  }
  expect_atom(*world.events, done_atom::value);
  expect_nothing_before_ping(world);
  // Answers the pool gives after the drain reach nobody.
  for (int job = 0; job < 6; ++job)
    world.answer();
  world.ds.run();
  expect_nothing_before_ping(world);
}

TEST_CASE("a request past the request timeout is answered with TIMEOUT",
          "[actors]") {
  router_world world;
  router_setup setup{};
  setup.request_timeout = 50ms;
  world.start(setup);
  world.send(make_request(1, "stuck", {"es"}));
  world.ds.run();
  expect_job(*world.jobs, "es", "stuck");
  expect_timeout_after(world, 50ms, 1, "es");
  // The stuck job ends later; the model is free again and later requests
  // succeed.
  world.answer();
  world.ds.run();
  expect_nothing_before_ping(world);
  world.send(make_request(2, "free", {"es"}));
  world.ds.run();
  auto job = expect_job(*world.jobs, "es", "free");
  world.answer();
  world.ds.run();
  CHECK(expect_translation(*world.events, 2, "es").text
        == translated_text(job));
  expect_done(*world.events, 2, 1, 0);
  expect_nothing_before_ping(world);
}

TEST_CASE("model types route to configured models with a default fallback",
          "[actors]") {
  auto [basic_name, basic] = make_probe();
  auto [premium_name, premium] = make_probe();
  auto cfg = config_with(
      {probe_model("small", basic_name), probe_model("large", premium_name)});
  cfg.routes["basic"] = "small";
  cfg.routes["premium"] = "large";
  runtime_fixture fx{cfg};
  CHECK(fx.translate(make_request(1, "a", {"es"}, "en", "premium"))
            .results[0]
            .model
        == "large");
  CHECK(
      fx.translate(make_request(2, "b", {"es"}, "en", "basic")).results[0].model
      == "small");
  CHECK(fx.translate(make_request(3, "c", {"es"}, "en", "unheard-of"))
            .results[0]
            .model
        == "small");
  CHECK(
      fx.translate(make_request(4, "d", {"es"}, "en", "large")).results[0].model
      == "large");
}

TEST_CASE("routes replaced while serving take over from the next request",
          "[actors][reload]") {
  auto [small_name, small] = make_probe();
  auto [large_name, large] = make_probe();
  auto cfg = config_with(
      {probe_model("small", small_name), probe_model("large", large_name)});
  cfg.routes = {{"default", "small"}};
  runtime_fixture fx{cfg};
  CHECK(fx.translate(make_request(1, "a", {"es"}, "en", "premium"))
            .results[0]
            .model
        == "small");
  route_table next{{"default", "small"}, {"premium", "large"}};
  REQUIRE(fx.rt().apply_routes(next, 5s));
  CHECK(fx.rt().routes() == next);
  CHECK(fx.translate(make_request(2, "b", {"es"}, "en", "premium"))
            .results[0]
            .model
        == "large");
  CHECK(
      fx.translate(make_request(3, "c", {"es"}, "en", "basic")).results[0].model
      == "small");
}

TEST_CASE("an unknown model type follows the default route, and without one "
          "it is refused by name",
          "[actors]") {
  auto [a_name, a] = make_probe();
  auto [b_name, b] = make_probe();
  // "alpha" sorts first: it must never serve a type that is not routed to it.
  auto cfg =
      config_with({probe_model("alpha", a_name), probe_model("beta", b_name)});
  cfg.routes.clear();
  cfg.routes["default"] = "beta";
  {
    runtime_fixture fx{cfg};
    auto routed =
        fx.translate(make_request(1, "a", {"es"}, "en", "unheard-of"));
    REQUIRE(routed.results.size() == 1);
    CHECK(routed.results[0].model == "beta");
  }
  cfg.routes.clear();
  cfg.routes["basic"] = "beta";
  runtime_fixture fx{cfg};
  auto refused =
      fx.translate(make_request(2, "b", {"es", "fr"}, "en", "unheard-of"));
  REQUIRE(refused.done);
  CHECK(refused.results.empty());
  REQUIRE(refused.failures.size() == 1);
  CHECK(code_of(refused.failures[0].reason) == error_code::model_unavailable);
  CHECK_THAT(explanation_of(refused.failures[0].reason),
             Catch::Contains("unheard-of"));
  CHECK(a->jobs().empty());
}
