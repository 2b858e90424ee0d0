// The publisher against the real router, cache and a probe model, publishing
// on a real PUB socket that the test subscribes to.

#include <catch2/catch.hpp>

#include <memory>

#include <caf/send.hpp>
#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "io/zmq_publisher.hpp"
#include "messages/gateway.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

gateway_translate task(const std::string& task_id,
                       std::vector<std::string> targets,
                       const std::string& text = "hello") {
  gateway_translate request;
  request.type = "translation";
  request.ids.task_id = json(task_id).dump();
  request.ids.message_id = json("m-" + task_id).dump();
  request.task_key = task_id;
  request.text = text;
  request.source_lang = "en";
  request.target_langs = std::move(targets);
  request.received_at = unix_seconds();
  return request;
}

/// A publisher on a fresh PUB socket, and a subscriber that already hears it.
struct published_world {
  explicit published_world(runtime_fixture& fx)
    : pub_port(free_port()),
      context(1),
      socket(std::make_shared<zmq::socket_t>(context, zmq::socket_type::pub)) {
    socket->set(zmq::sockopt::linger, 0);
    socket->bind("tcp://127.0.0.1:" + std::to_string(pub_port));
    publisher = spawn_publisher(fx.system(), socket, fx.rt().router(),
                                server_identity{"parley test", "node", 1, 2},
                                10000);
    fx.rt().add_stats_source(publisher);
    client = std::make_unique<zmq_client>(free_port(), pub_port);
    // Publish probes until the subscription is live.
    for (int i = 0; i < 200; ++i) {
      caf::anon_send(publisher, publish_atom::value,
                     zmq_frames{{json{{"type", "probe"}}.dump()}});
      if (!client->receive(std::chrono::milliseconds(20)).is_null())
        break;
    }
    while (!client->receive(std::chrono::milliseconds(50)).is_null()) {
    }
  }

  ~published_world() {
    caf::anon_send_exit(publisher, caf::exit_reason::user_shutdown);
  }

  std::vector<json> events(size_t count) {
    std::vector<json> result;
    while (result.size() < count) {
      auto event = client->receive();
      if (event.is_null())
        break;
      result.push_back(std::move(event));
    }
    return result;
  }

  uint16_t pub_port;
  zmq::context_t context;
  std::shared_ptr<zmq::socket_t> socket;
  publisher_actor publisher;
  std::unique_ptr<zmq_client> client;
};

} // namespace

TEST_CASE("a task re-sent while in flight is computed once and answered once",
          "[io]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  published_world world{fx};
  probe->close_gate();
  caf::anon_send(world.publisher, task("t-1", {"es", "fr"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  // The gateway's 30 s retry: same task, the languages still missing, plus
  // one it did not ask before.
  caf::anon_send(world.publisher, task("t-1", {"es", "fr"}));
  caf::anon_send(world.publisher, task("t-1", {"fr", "de"}));
  REQUIRE(eventually([&] {
    return fx.stats().values["gateway_resent_merged_total"] == 2;
  }));
  probe->open_gate();
  auto events = world.events(3);
  REQUIRE(events.size() == 3);
  std::map<std::string, int> per_language;
  for (const auto& event : events) {
    CHECK(event["type"] == "translation_completed");
    CHECK(event["taskId"] == "t-1");
    ++per_language[event["targetLanguage"]];
  }
  CHECK(per_language["es"] == 1);
  CHECK(per_language["fr"] == 1);
  CHECK(per_language["de"] == 1);
  CHECK(world.client->receive(std::chrono::milliseconds(200)).is_null());
  // es, fr and de each reached the model once.
  CHECK(probe->jobs().size() == 3);
}

TEST_CASE("a language that is ready is published before slower ones finish",
          "[io]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  published_world world{fx};
  // Warm the cache for es only, then hold the model.
  caf::anon_send(world.publisher, task("warm", {"es"}));
  REQUIRE(world.events(1).size() == 1);
  probe->close_gate();
  caf::anon_send(world.publisher, task("t-2", {"es", "fr"}));
  auto first = world.events(1);
  REQUIRE(first.size() == 1);
  CHECK(first[0]["targetLanguage"] == "es");
  CHECK(first[0]["result"]["fromCache"] == true);
  // fr is still being computed: it reaches the gate and stays there.
  CHECK(eventually([&] { return probe->waiting_at_gate == 1; }));
  probe->open_gate();
  auto second = world.events(1);
  REQUIRE(second.size() == 1);
  CHECK(second[0]["targetLanguage"] == "fr");
}
