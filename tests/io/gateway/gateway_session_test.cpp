// The gateway session's actor on CAF's test coordinator, between test
// doubles for the router and the publisher (tests/support/session_world):
// what it does itself rather than through a part: dispatching, counting,
// and flushing its queued events when told to exit.

#include <catch2/catch.hpp>

#include <string>

#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/session_world.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("an exit sent right after a result still publishes it",
          "[io][session]") {
  session_world world;
  world.send(text_task("t-4", {"es"}));
  world.ds.run();
  auto request = world.expect_text_request({"es"});
  world.answer(translated(request.id, "es", "hola"));
  // The router hands the result on; the exit arrives before the session
  // has run, and so before the flush it will send itself.
  world.ds.run_once();
  caf::anon_send_exit(world.session, caf::exit_reason::user_shutdown);
  world.ds.run();
  CHECK(world.expect_event("translation_completed", "es")["taskId"] == "t-4");
  world.events->expect_nothing_more();
}

TEST_CASE("a ping and a malformed request are answered at once and counted",
          "[io][session]") {
  session_world world;
  world.send({{"type", "ping"}});
  world.send({{"type", "translation"}, {"taskId", "t-5"}});
  world.ds.run();
  world.expect_event("pong");
  auto refused = world.expect_event("translation_error");
  CHECK(refused["taskId"] == "t-5");
  CHECK(refused["errorCode"] == "INVALID_REQUEST");
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
  auto counters = world.stats().values;
  CHECK(counters["gateway_tasks_total"] == 2);
  CHECK(counters["gateway_refused_total"] == 1);
  CHECK(counters["gateway_events_total"] == 2);
}
