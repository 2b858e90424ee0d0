// A worker in a network namespace of its own, behind 5 ms of added latency
// (tc netem), where the machine allows it: root, `ip netns` and the netem
// qdisc. Otherwise the test says why it did not run.

#include <catch2/catch.hpp>

#include <string>
#include <unistd.h>

#include "tests/support/cluster_nodes.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

/// A namespace joined to this one by a veth pair: 10.213.N.1 here,
/// 10.213.N.2 inside, with `delay` added to every packet leaving it.
class delayed_namespace {
public:
  explicit delayed_namespace(const std::string& delay) {
    auto id = std::to_string(getpid() % 250);
    name_ = "parley" + id;
    host_ = "10.213." + id + ".1";
    auto outer = "pv" + id + "a";
    auto inner = "pv" + id + "b";
    const std::vector<std::string> steps = {
        "ip netns add " + name_,
        "ip link add " + outer + " type veth peer name " + inner,
        "ip link set " + inner + " netns " + name_,
        "ip addr add " + host_ + "/30 dev " + outer,
        "ip link set " + outer + " up",
        "ip netns exec " + name_ + " ip addr add 10.213." + id + ".2/30 dev "
            + inner,
        "ip netns exec " + name_ + " ip link set " + inner + " up",
        "ip netns exec " + name_ + " ip link set lo up",
        "ip netns exec " + name_ + " tc qdisc add dev " + inner
            + " root netem delay " + delay,
    };
    cleanup_ = "ip link del " + outer + " 2>/dev/null; ip netns del " + name_
               + " 2>/dev/null";
    for (const auto& step : steps) {
      auto result = run_command({"/bin/sh", "-c", step + " 2>&1"});
      if (result.exit_status != 0) {
        why_not_ = "'" + step + "' failed: " + result.out;
        return;
      }
    }
  }

  ~delayed_namespace() {
    run_command({"/bin/sh", "-c", cleanup_});
  }

  /// Empty when the namespace is up; else why it is not.
  const std::string& why_not() const {
    return why_not_;
  }

  /// The front's address as seen from inside.
  const std::string& host_address() const {
    return host_;
  }

  const std::string& name() const {
    return name_;
  }

private:
  std::string name_;
  std::string host_;
  std::string cleanup_;
  std::string why_not_;
};

} // namespace

TEST_CASE("a worker behind 5 ms of network latency serves through the front",
          "[cluster]") {
  if (geteuid() != 0) {
    WARN("skipped: needs root to create a network namespace (ip netns)");
    return;
  }
  delayed_namespace ns{"5ms"};
  if (!ns.why_not().empty()) {
    WARN("skipped: cannot put a worker behind netem latency here: "
         << ns.why_not());
    return;
  }
  auto cluster_port = free_port();
  server_process front{
      front_cluster_table(cluster_port,
                          "bind = \"" + ns.host_address() + "\"\n")
      + "[models.apertium]\nkind = \"apertium\"\nreplicas = 0\n"};
  auto address = ns.host_address() + ":" + std::to_string(cluster_port);
  child_process worker{{"ip", "netns", "exec", ns.name(), bin_path("parleyd"),
                        "--role", "worker", "--join", address, "--node-name",
                        "far"}};
  REQUIRE(worker.wait_for_output("joined front"));
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  for (int i = 0; i < 10; ++i)
    client.send(
        json{{"type", "translation"},
             {"taskId", "far-" + std::to_string(i)},
             {"messageId", "m"},
             {"text", "The road number " + std::to_string(i) + " is long."},
             {"sourceLanguage", "en"},
             {"targetLanguages", {"es"}},
             {"conversationId", "c"},
             {"modelType", "basic"}});
  size_t completed = 0;
  while (completed < 10) {
    auto event = client.receive();
    if (event.is_null())
      break;
    completed += event.value("type", "") == "translation_completed" ? 1 : 0;
  }
  CHECK(completed == 10);
  CHECK(metric_of(front.http_port,
                  "parley_replica_jobs_total{model=\"apertium\",node=\"far\"}")
        == 10);
}
