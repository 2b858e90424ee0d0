// Real parleyd processes on loopback: a front with a cluster port and no
// model replica of its own, and workers that join it over CAF's middleman.
// Requests go in through the gateway's ZMQ protocol; failures are real
// signals (SIGKILL, SIGSTOP) to real worker processes.

#include <catch2/catch.hpp>

#include <csignal>
#include <set>
#include <string>
#include <thread>

#include "tests/support/cluster_nodes.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

/// A front whose only translation model is served by workers.
std::string front_config(uint16_t cluster_port, const std::string& extra = "") {
  return front_cluster_table(cluster_port, extra)
         + "[models.apertium]\nkind = \"apertium\"\nreplicas = 0\n"
           "[routes]\ndefault = \"apertium\"\n";
}

/// A worker serving Apertium, one batch at a time.
const std::string worker_config =
    "[models.apertium]\nkind = \"apertium\"\nmax_batch = 1\n";

std::string front_address(uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

json translation(const std::string& task, const std::string& text) {
  return {{"type", "translation"},    {"taskId", task},
          {"messageId", "m-" + task}, {"text", text},
          {"sourceLanguage", "en"},   {"targetLanguages", {"es"}},
          {"conversationId", "c-1"},  {"modelType", "basic"}};
}

/// Distinct sentences, so that none is answered from the cache.
std::string sentence(int i) {
  return "The house number " + std::to_string(i) + " is red.";
}

std::string jobs_of(const std::string& node) {
  return "parley_replica_jobs_total{model=\"apertium\",node=\"" + node + "\"}";
}

} // namespace

TEST_CASE("a front with no model of its own serves through two workers, "
          "and both take work",
          "[cluster]") {
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port)};
  worker_process w1{"w1", front_address(cluster_port), worker_config};
  worker_process w2{"w2", front_address(cluster_port), worker_config};
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium")
           == std::map<std::string, int>{{"w1", 1}, {"w2", 1}};
  }));
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  constexpr int requests = 40;
  for (int i = 0; i < requests; ++i)
    client.send(translation("t" + std::to_string(i), sentence(i)));
  auto answered = final_events(client, requests);
  REQUIRE(answered.size() == requests);
  for (const auto& [task, event] : answered) {
    CHECK(event["type"] == "translation_completed");
    CHECK_FALSE(event["result"]["translatedText"].get<std::string>().empty());
  }
  CHECK(metric_of(front.http_port, jobs_of("w1")) > 0);
  CHECK(metric_of(front.http_port, jobs_of("w2")) > 0);
  auto cluster = cluster_of(front.http_port);
  std::set<std::string> joined;
  for (const auto& node : cluster["nodes"])
    if (node["state"] == "joined")
      joined.insert(node["name"].get<std::string>());
  CHECK(joined == std::set<std::string>{"w1", "w2"});
  // The CLI prints the same.
  auto printed = run_command({bin_path("parley"), "cluster", "status", "--http",
                              "127.0.0.1:" + std::to_string(front.http_port)});
  REQUIRE(printed.exit_status == 0);
  CHECK_THAT(printed.out, Catch::Contains("w1") && Catch::Contains("w2")
                              && Catch::Contains("apertium")
                              && Catch::Contains("w1:1 w2:1"));
  // Nothing more arrives: a ping's pong is the next event.
  client.send(json{{"type", "ping"}});
  CHECK(client.receive()["type"] == "pong");
}

TEST_CASE("kill -9 of a worker under load loses no request, the other takes "
          "over and the restarted one rejoins",
          "[cluster]") {
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port)};
  auto w1 = std::make_unique<worker_process>("w1", front_address(cluster_port),
                                             worker_config);
  worker_process w2{"w2", front_address(cluster_port), worker_config};
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium").size() == 2;
  }));
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  constexpr int requests = 120;
  for (int i = 0; i < requests / 2; ++i)
    client.send(translation("k" + std::to_string(i), sentence(1000 + i)));
  // Kill w1 once it has served some: its batch in flight is requeued.
  REQUIRE(cluster_reaches(
      [&] { return metric_of(front.http_port, jobs_of("w1")) > 0; }));
  auto w2_before = metric_of(front.http_port, jobs_of("w2"));
  w1->stop(SIGKILL);
  for (int i = requests / 2; i < requests; ++i)
    client.send(translation("k" + std::to_string(i), sentence(1000 + i)));
  auto answered = final_events(client, requests);
  CHECK(answered.size() == requests);
  size_t completed = 0;
  for (const auto& [task, event] : answered)
    completed += event["type"] == "translation_completed" ? 1 : 0;
  CHECK(completed == requests); // requeued once, then served by w2
  CHECK(metric_of(front.http_port, jobs_of("w2")) > w2_before);
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium")
           == std::map<std::string, int>{{"w2", 1}};
  }));
  CHECK(metric_of(front.http_port, "parley_cluster_nodes_lost_total") >= 1);

  // The restarted worker rejoins under the same name and serves.
  w1 = std::make_unique<worker_process>("w1", front_address(cluster_port),
                                        worker_config);
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium").size() == 2;
  }));
  for (int i = 0; i < 20; ++i)
    client.send(translation("r" + std::to_string(i), sentence(2000 + i)));
  CHECK(final_events(client, 20).size() == 20);
  CHECK(metric_of(front.http_port, jobs_of("w1")) > 0);
}

TEST_CASE("a stopped worker is found silent, its jobs are requeued, and it "
          "rejoins after SIGCONT",
          "[cluster]") {
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port)};
  worker_process w1{"w1",
                    front_address(cluster_port),
                    worker_config,
                    {"--set", "cluster.heartbeat_ms=200", "--set",
                     "cluster.peer_timeout_ms=1500"}};
  worker_process w2{"w2", front_address(cluster_port), worker_config};
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium").size() == 2;
  }));
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  ::kill(w1.pid(), SIGSTOP);
  constexpr int requests = 30;
  for (int i = 0; i < requests; ++i)
    client.send(translation("s" + std::to_string(i), sentence(3000 + i)));
  auto answered = final_events(client, requests);
  CHECK(answered.size() == requests);
  for (const auto& [task, event] : answered)
    CHECK(event["type"] == "translation_completed");
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium")
           == std::map<std::string, int>{{"w2", 1}};
  }));
  ::kill(w1.pid(), SIGCONT);
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium").size() == 2;
  }));
  for (int i = 0; i < 20; ++i)
    client.send(translation("c" + std::to_string(i), sentence(4000 + i)));
  CHECK(final_events(client, 20).size() == 20);
}

TEST_CASE("a worker with a wrong token is refused and logged", "[cluster]") {
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port, "token = \"right\"\n")};
  worker_process intruder{"intruder",
                          front_address(cluster_port),
                          worker_config,
                          {"--cluster-token", "wrong"},
                          /*wait_for_join=*/false};
  CHECK(intruder.process().wait_for_output("refused to join"));
  CHECK(intruder.process().wait() == 3); // it gives up on its own
  CHECK(cluster_reaches([&] {
    return metric_of(front.http_port, "parley_cluster_joins_refused_total")
           == 1;
  }));
  CHECK(replicas_per_node(front.http_port, "apertium").empty());
  worker_process member{"member",
                        front_address(cluster_port),
                        worker_config,
                        {"--cluster-token", "right"}};
  CHECK(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium").size() == 1;
  }));
}

TEST_CASE("a front dials the static workers it lists, and again after one "
          "is lost",
          "[cluster]") {
  auto worker_port = free_port();
  auto listed = "127.0.0.1:" + std::to_string(worker_port);
  server_process front{"[cluster]\nworkers = [\"" + listed
                       + "\"]\nreconnect_max_ms = 1000\n"
                         "token = \"t\"\n[models.apertium]\nkind = "
                         "\"apertium\"\nreplicas = 0\n"};
  auto start_worker = [&] {
    return std::make_unique<worker_process>(
        "static", "", worker_config,
        std::vector<std::string>{"--cluster-port", std::to_string(worker_port),
                                 "--cluster-token", "t"});
  };
  auto worker = start_worker();
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium")
           == std::map<std::string, int>{{"static", 1}};
  }));
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  for (int i = 0; i < 10; ++i)
    client.send(translation("st" + std::to_string(i), sentence(5000 + i)));
  CHECK(final_events(client, 10).size() == 10);
  CHECK(metric_of(front.http_port, jobs_of("static")) == 10);

  worker->stop(SIGKILL);
  REQUIRE(cluster_reaches(
      [&] { return replicas_per_node(front.http_port, "apertium").empty(); }));
  worker = start_worker();
  REQUIRE(cluster_reaches([&] {
    return replicas_per_node(front.http_port, "apertium").size() == 1;
  }));
  client.send(translation("again", sentence(6000)));
  auto answered = final_events(client, 1);
  REQUIRE(answered.size() == 1);
  CHECK(answered.begin()->second["type"] == "translation_completed");
}
