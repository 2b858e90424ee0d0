#include <catch2/catch.hpp>

#include <future>
#include <string>

#include "messages/error_code.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

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
  REQUIRE(eventually([&] { return slow->waiting_at_gate == 1; }));
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

TEST_CASE("shutdown lets accepted requests finish within the drain time",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  test_client client{fx.system()};
  for (uint64_t id = 1; id <= 3; ++id)
    client.send(fx.rt().router(),
                make_request(id, "text " + std::to_string(id), {"es", "fr"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  auto drained = std::async(
      std::launch::async, [&] { fx.rt().shutdown(std::chrono::seconds(30)); });
  REQUIRE(
      eventually([&] { return fx.stats().values["router_draining"] == 1; }));
  // Requests after the start of the shutdown are refused.
  auto late = fx.translate(make_request(99, "late", {"es"}));
  REQUIRE(late.failures.size() == 1);
  CHECK(code_of(late.failures[0].reason) == error_code::model_unavailable);
  CHECK(late.failures[0].target_lang.empty());
  probe->open_gate();
  client.collect(3);
  drained.get();
  for (uint64_t id = 1; id <= 3; ++id) {
    CHECK(client.events[id].results.size() == 2);
    CHECK(client.events[id].failures.empty());
  }
}

TEST_CASE("shutdown answers TIMEOUT for what the drain time did not cover",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  test_client client{fx.system()};
  for (uint64_t id = 1; id <= 3; ++id)
    client.send(fx.rt().router(),
                make_request(id, "text " + std::to_string(id), {"es", "fr"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  fx.rt().shutdown(std::chrono::milliseconds(50));
  client.collect(3);
  for (uint64_t id = 1; id <= 3; ++id) {
    auto& events = client.events[id];
    CHECK(events.done);
    REQUIRE(events.failures.size() == 2);
    for (auto& failure : events.failures)
      CHECK(code_of(failure.reason) == error_code::timeout);
  }
  probe->open_gate();
}

TEST_CASE("a request past the request timeout is answered with TIMEOUT",
          "[actors]") {
  auto [name, probe] = make_probe();
  probe->close_gate();
  auto cfg = config_with({probe_model("m", name)});
  cfg.request_timeout = std::chrono::milliseconds(50);
  runtime_fixture fx{cfg};
  auto events = fx.translate(make_request(1, "stuck", {"es"}));
  CHECK(failure_code(events) == error_code::timeout);
  probe->open_gate();
  // The model is free again and later requests succeed.
  auto later = fx.translate(make_request(2, "free", {"es"}));
  CHECK(later.results.size() == 1);
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
