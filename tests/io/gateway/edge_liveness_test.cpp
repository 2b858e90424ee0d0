// /health and /ready follow the gateway edge's threads: a part that stops is
// named, and the server reports itself failing, whatever the models say.

#include <catch2/catch.hpp>

#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "io/gateway/edge_liveness.hpp"
#include "io/gateway/gateway_session.hpp"
#include "io/http/http_server.hpp"
#include "server/front_end.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("edge liveness names parts that stopped or fell silent", "[io]") {
  edge_liveness liveness;
  liveness.beat(edge_liveness::zmq_pull);
  CHECK(liveness.failing(std::chrono::hours(1)).empty());
  // A beat older than the allowed age is a stalled thread.
  CHECK(liveness.failing(std::chrono::milliseconds(-1))
        == std::vector<std::string>{"zmq_pull"});
  liveness.stopped(edge_liveness::zmq_pub);
  CHECK(liveness.failing(std::chrono::hours(1))
        == std::vector<std::string>{"zmq_pub"});
}

TEST_CASE("health and readiness fail naming the edge part that stopped",
          "[io]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  auto liveness = std::make_shared<edge_liveness>();
  http_server http{
      fx.system(),
      http_backend_of(fx.rt(),
                      server_identity{"parley test", "node", 1, 2, false}),
      http_limits{}, liveness};
  auto port = free_port();
  http.start("127.0.0.1", port);
  CHECK(http_get(port, "/health").status == 200);
  CHECK(http_get(port, "/ready").status == 200);
  // The session is the part that ends here: it reports its own end.
  session_setup setup;
  setup.router = fx.rt().router();
  setup.liveness = liveness;
  auto session = spawn_gateway_session(fx.system(), std::move(setup),
                                       session_placement::own_thread);
  {
    caf::scoped_actor self{fx.system()};
    self->monitor(session);
    self->send_exit(session, caf::exit_reason::kill);
    self->receive([](const caf::down_msg&) {});
  }
  auto health = http_get(port, "/health");
  CHECK(health.status == 503);
  auto body = json::parse(health.body);
  CHECK(body["status"] == "failing");
  CHECK(body["stopped"] == json::array({"gateway_session"}));
  auto ready = http_get(port, "/ready");
  CHECK(ready.status == 503);
  CHECK(json::parse(ready.body)["stopped"] == json::array({"gateway_session"}));
  http.stop();
}
