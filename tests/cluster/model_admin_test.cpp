// Models loaded and unloaded while a real parleyd serves, through the admin
// API (`/models`), and a worker serving a model the front loaded at run time.

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>

#include <httplib.h>

#include "tests/support/cluster_nodes.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

const std::string admin_table = "[http]\nadmin_token = \"adm\"\n";

http_reply admin(uint16_t port, const std::string& method,
                 const std::string& path, const std::string& body = "",
                 const std::string& token = "adm") {
  httplib::Client client{"127.0.0.1", port};
  client.set_read_timeout(std::chrono::seconds(60));
  httplib::Headers headers;
  if (!token.empty())
    headers.emplace("Authorization", "Bearer " + token);
  httplib::Result res =
      method == "GET" ? client.Get(path.c_str(), headers)
      : method == "POST"
          ? client.Post(path.c_str(), headers, body, "application/json")
          : client.Delete(path.c_str(), headers);
  if (!res)
    return {};
  return {res->status, res->body, res->get_header_value("Content-Type")};
}

json translation(const std::string& task, const std::string& model, int i) {
  return {{"type", "translation"},
          {"taskId", task},
          {"messageId", "m-" + task},
          {"text", "The window number " + std::to_string(i) + " is open."},
          {"sourceLanguage", "en"},
          {"targetLanguages", {"es"}},
          {"conversationId", "c-1"},
          {"modelType", model}};
}

bool model_ready(uint16_t port, const std::string& name) {
  auto reply = admin(port, "GET", "/models");
  auto body = json::parse(reply.body, nullptr, false);
  if (!body.is_object())
    return false;
  for (const auto& model : body["models"])
    if (model["name"] == name)
      return model.value("ready", false);
  return false;
}

} // namespace

TEST_CASE("the model admin API needs its token", "[cluster][admin]") {
  server_process open_server;
  CHECK(admin(open_server.http_port, "GET", "/models").status == 501);
  server_process server{admin_table};
  CHECK(admin(server.http_port, "GET", "/models", "", "").status == 401);
  auto wrong = admin(server.http_port, "GET", "/models", "", "nope");
  CHECK(wrong.status == 401);
  CHECK_THAT(wrong.body, Catch::Contains("UNAUTHORIZED"));
  CHECK(admin(server.http_port, "DELETE", "/models/apertium", "", "nope").status
        == 401);
  auto listed = admin(server.http_port, "GET", "/models");
  REQUIRE(listed.status == 200);
  auto models = json::parse(listed.body)["models"];
  REQUIRE(models.size() == 3);
  for (const auto& model : models) {
    CHECK(model["ready"] == true);
    CHECK(model["replicas_per_node"]["front"] == 1);
  }
}

TEST_CASE("a bad model table is refused and nothing is loaded",
          "[cluster][admin]") {
  server_process server{admin_table};
  auto unknown_kind = admin(server.http_port, "POST", "/models/x",
                            R"({"kind": "no-such-kind"})");
  CHECK(unknown_kind.status == 400);
  CHECK_THAT(unknown_kind.body, Catch::Contains("no-such-kind"));
  CHECK(admin(server.http_port, "POST", "/models/x", R"([1, 2])").status
        == 400);
  auto deep = admin(server.http_port, "POST", "/models/x",
                    std::string(100000, '[') + std::string(100000, ']'));
  CHECK(deep.status == 400);
  CHECK_THAT(deep.body, Catch::Contains("nests deeper"));
  CHECK(admin(server.http_port, "POST", "/models/x",
              R"({"kind": "apertium", "replicas": -1})")
            .status
        == 400);
  auto taken = admin(server.http_port, "POST", "/models/apertium",
                     R"({"kind": "apertium"})");
  CHECK(taken.status == 400);
  CHECK_THAT(taken.body, Catch::Contains("already served"));
  CHECK(admin(server.http_port, "POST", "/models/asr2",
              R"({"kind": "pocketsphinx"})")
            .status
        == 400);
  CHECK(admin(server.http_port, "DELETE", "/models/nope").status == 404);
  auto listed = json::parse(admin(server.http_port, "GET", "/models").body);
  CHECK(listed["models"].size() == 3);
}

TEST_CASE("loading and unloading a model while serving loses no request",
          "[cluster][admin]") {
  server_process server{admin_table};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  constexpr int per_phase = 60;
  // Requests name "extra" while it is loaded: before it exists they take the
  // default route, after it loads they go to it.
  std::thread loader{[&] {
    CHECK(admin(server.http_port, "POST", "/models/extra",
                R"({"kind": "apertium", "max_batch": 4})")
              .status
          == 201);
  }};
  for (int i = 0; i < per_phase; ++i)
    client.send(translation("load-" + std::to_string(i), "extra", i));
  loader.join();
  auto loaded = final_events(client, per_phase);
  CHECK(loaded.size() == per_phase);
  for (const auto& [task, event] : loaded)
    CHECK(event["type"] == "translation_completed");
  REQUIRE(
      cluster_reaches([&] { return model_ready(server.http_port, "extra"); }));
  for (int i = 0; i < 10; ++i)
    client.send(translation("on-" + std::to_string(i), "extra", 100 + i));
  CHECK(final_events(client, 10).size() == 10);
  CHECK(metric_of(server.http_port,
                  "parley_replica_jobs_total{model=\"extra\",node=\"front\"}")
        > 0);

  // Unloading while its requests arrive: each is answered once, by "extra"
  // before it stops taking work, by the default route after, or with a
  // typed error in between.
  std::thread unloader{[&] {
    auto reply = admin(server.http_port, "DELETE", "/models/extra");
    CHECK(reply.status == 200);
  }};
  for (int i = 0; i < per_phase; ++i)
    client.send(translation("unload-" + std::to_string(i), "extra", 200 + i));
  unloader.join();
  auto unloaded = final_events(client, per_phase);
  CHECK(unloaded.size() == per_phase);
  auto listed = json::parse(admin(server.http_port, "GET", "/models").body);
  for (const auto& model : listed["models"])
    CHECK(model["name"] != "extra");
  // Nothing more arrives: the pong is next.
  client.send(json{{"type", "ping"}});
  CHECK(client.receive()["type"] == "pong");
}

TEST_CASE("a worker serves a model the front loaded at run time",
          "[cluster][admin]") {
  auto cluster_port = free_port();
  server_process front{admin_table + front_cluster_table(cluster_port)};
  REQUIRE(admin(front.http_port, "POST", "/models/extra",
                R"({"kind": "apertium", "replicas": 0})")
              .status
          == 201);
  worker_process worker{"w", "127.0.0.1:" + std::to_string(cluster_port),
                        "[models.extra]\nkind = \"apertium\"\n"};
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "extra")
           == std::map<std::string, int>{{"w", 1}};
  }));
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  for (int i = 0; i < 10; ++i)
    client.send(translation("w-" + std::to_string(i), "extra", 300 + i));
  auto answered = final_events(client, 10);
  CHECK(answered.size() == 10);
  for (const auto& [task, event] : answered)
    CHECK(event["type"] == "translation_completed");
  CHECK(metric_of(front.http_port,
                  "parley_replica_jobs_total{model=\"extra\",node=\"w\"}")
        > 0);

  // Unloaded at the front, it stops on the worker too.
  CHECK(admin(front.http_port, "DELETE", "/models/extra").status == 200);
  CHECK(worker.process().wait_for_output("the front unloaded model extra"));
  for (const auto& model : cluster_of(front.http_port)["models"])
    CHECK(model["name"] != "extra");
}
