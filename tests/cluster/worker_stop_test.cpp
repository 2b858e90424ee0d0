// A worker stops when told, whatever state its replicas are in: loading,
// joined, cut off from a lost front, or busy with a front's batches. Real
// parleyd processes on loopback, ten rounds of each; every wait is on a log
// line, a cluster state or a process exit.

#include <catch2/catch.hpp>

#include <csignal>
#include <future>
#include <set>
#include <string>

#include "tests/support/cluster_nodes.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

constexpr int rounds = 10;

/// The worker's whole stop budget (`--drain-timeout-ms`).
constexpr auto stop_budget = std::chrono::milliseconds(3000);

/// How long past its budget a worker may take before the test calls it hung:
/// room for a loaded machine, far below "for ever".
constexpr auto hang_margin = std::chrono::seconds(10);

std::string front_config(uint16_t cluster_port) {
  return front_cluster_table(cluster_port)
         + "[server]\nrequest_timeout_ms = 3000\n"
           "[models.apertium]\nkind = \"apertium\"\nreplicas = 0\n"
           "[routes]\ndefault = \"apertium\"\n";
}

const std::string worker_config =
    "[models.apertium]\nkind = \"apertium\"\nmax_batch = 2\n";

std::string address_of(uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

worker_process start_worker(const std::string& node, uint16_t cluster_port) {
  return worker_process{
      node,
      address_of(cluster_port),
      worker_config,
      {"--drain-timeout-ms", std::to_string(stop_budget.count())}};
}

/// Sends SIGTERM; the exit status, or nothing when the worker outlived its
/// budget by more than the margin (it is then killed).
std::optional<int> terminate(worker_process& worker) {
  kill(worker.pid(), SIGTERM);
  auto status = worker.process().wait_for(stop_budget + hang_margin);
  if (!status) {
    INFO(worker.process().output());
    kill(worker.pid(), SIGKILL);
    worker.process().wait();
  }
  return status;
}

bool serves(uint16_t http_port, const std::string& node) {
  return replicas_per_node(http_port, "apertium").count(node) > 0;
}

json translation(const std::string& task) {
  return {{"type", "translation"},    {"taskId", task},
          {"messageId", "m-" + task}, {"text", "A sentence for " + task + "."},
          {"sourceLanguage", "en"},   {"targetLanguages", {"es"}},
          {"modelType", "basic"}};
}

} // namespace

TEST_CASE("a worker told to stop right after it joined, its replicas still "
          "loading, exits",
          "[cluster][stop]") {
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port)};
  for (int round = 0; round < rounds; ++round) {
    auto worker =
        start_worker("loading-" + std::to_string(round), cluster_port);
    auto status = terminate(worker);
    INFO("round " << round);
    REQUIRE(status);
    CHECK(*status == 0);
  }
}

TEST_CASE("a worker told to stop once its replicas serve the front exits",
          "[cluster][stop]") {
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port)};
  for (int round = 0; round < rounds; ++round) {
    auto node = "joined-" + std::to_string(round);
    auto worker = start_worker(node, cluster_port);
    REQUIRE(cluster_reaches([&] { return serves(front.http_port, node); }));
    auto status = terminate(worker);
    INFO("round " << round);
    REQUIRE(status);
    CHECK(*status == 0);
  }
}

TEST_CASE("a worker told to stop after losing its front exits",
          "[cluster][stop]") {
  for (int round = 0; round < rounds; ++round) {
    auto cluster_port = free_port();
    auto front = std::make_unique<server_process>(front_config(cluster_port));
    auto node = "orphan-" + std::to_string(round);
    auto worker = start_worker(node, cluster_port);
    REQUIRE(cluster_reaches([&] { return serves(front->http_port, node); }));
    kill(front->pid(), SIGKILL);
    REQUIRE(worker.process().wait_for_output("lost front"));
    auto status = terminate(worker);
    INFO("round " << round);
    REQUIRE(status);
    CHECK(*status == 0);
  }
}

TEST_CASE("a worker told to stop while it runs a front's batches exits, "
          "alone or with its front, and the front answers every request",
          "[cluster][stop]") {
  for (int round = 0; round < rounds; ++round) {
    auto cluster_port = free_port();
    server_process front{front_config(cluster_port)};
    auto node = "busy-" + std::to_string(round);
    auto worker = start_worker(node, cluster_port);
    REQUIRE(cluster_reaches([&] { return serves(front.http_port, node); }));
    zmq_client client{front.pull_port, front.pub_port};
    REQUIRE(client.wait_until_subscribed());
    constexpr int requests = 60;
    for (int i = 0; i < requests; ++i)
      client.send(
          translation("r" + std::to_string(round) + "-" + std::to_string(i)));
    // Work is under way on the worker once the first answer is back.
    auto first = client.receive_until([](const json& event) {
      return event.value("type", "") == "translation_completed";
    });
    REQUIRE_FALSE(first.is_null());
    INFO("round " << round);
    if (round % 2 == 1) {
      // Both stopped together: the front drains what it accepted.
      auto front_exit =
          std::async(std::launch::async, [&] { return front.stop(); });
      auto status = terminate(worker);
      REQUIRE(status);
      CHECK(*status == 0);
      CHECK(front_exit.get() == 0);
      continue;
    }
    auto status = terminate(worker);
    REQUIRE(status);
    CHECK(*status == 0);
    // The worker's jobs were answered by the front: as requeued work, or as
    // TIMEOUT once no replica was left.
    std::set<std::string> answered{first.value("taskId", "")};
    for (const auto& event : client.skipped)
      if (event.value("type", "") == "translation_error")
        answered.insert(event.value("taskId", ""));
    for (const auto& [task, event] :
         final_events(client, requests - answered.size()))
      answered.insert(task);
    CHECK(answered.size() == requests);
  }
}
