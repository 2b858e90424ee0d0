// The front's cluster actor on CAF's test coordinator, between doubles of
// worker agents: a test probe asks it what a worker's agent asks (a join) and
// what `/cluster` asks (its status), every answer goes into one ordered log,
// and each agent's double logs what reached it. Time moves only by hand, so
// "joined 5 s ago" is exactly 5000 ms. Static workers, which the front dials
// through the middleman, are not stepped here (tests/cluster/ runs real
// processes for them).

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/replica_pool.hpp"
#include "cluster/cluster_front.hpp"
#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "tests/support/actor_doubles.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

/// A worker agent's double: answers `status` with `status`, logging the
/// question (the sentinel a test ends with), and logs every join offer and
/// dial it gets.
worker_actor spawn_worker_double(caf::actor_system& sys, node_status status,
                                 std::shared_ptr<ordered_log> log) {
  return sys.spawn([=](worker_actor::pointer) -> worker_actor::behavior_type {
    return {
        [=](status_atom) {
          log->push(status_atom::value);
          return status;
        },
        [=](connect_atom) { log->push(connect_atom::value); },
        [=](join_atom, join_reply& reply, std::string& token) {
          log->push(std::move(reply), std::move(token));
        },
    };
  });
}

/// The front "front" with token "secret", serving models "a" and "b" from
/// real pools, and the log of every answer a probe got from it.
struct front_world {
  front_world() {
    pools.emplace("a", spawn_pool(ds.sys(), model_task::translation, {"a"}));
    pools.emplace("b", spawn_pool(ds.sys(), model_task::translation, {"b"}));
    cluster_front_setup setup;
    setup.node = "front";
    setup.token = "secret";
    setup.pools = pools;
    front = spawn_cluster_front(ds.sys(), setup);
    ds.run();
  }

  ~front_world() {
    caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
    for (const auto& [name, pool] : pools)
      caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    for (const auto& agent : agents)
      caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    ds.run();
  }

  /// A worker agent's double for node `name` serving `models`.
  worker_actor worker(const std::string& name,
                      std::vector<std::string> models) {
    node_status status;
    status.name = name;
    status.state = "joined";
    status.models = std::move(models);
    agents.push_back(spawn_worker_double(ds.sys(), status, agent_log));
    return agents.back();
  }

  /// Asks the front to admit `agent` as `node` serving `models`, with
  /// `token`, and runs until the answer is logged.
  void join(const worker_actor& agent, const std::string& node,
            std::vector<std::string> models, std::string token = "secret") {
    ask<join_reply>(ds, answers, caf::infinite, front, join_atom::value,
                    join_request{std::move(token), node, std::move(models)},
                    agent);
    ds.run();
  }

  /// Asks the front for the cluster's status and takes it from the log.
  cluster_status status() {
    ask<cluster_status>(ds, answers, caf::infinite, front, status_atom::value);
    ds.run();
    return answers->expect_next<cluster_status>();
  }

  /// Takes a join reply from the log: from this front, with the pools of
  /// `models` and no other.
  void expect_pools(const std::vector<std::string>& models) {
    answers->expect_next<join_reply>(
        "a join reply with the pools of exactly the models asked",
        [&](const join_reply& reply) {
          if (reply.front != "front"
              || reply.front_actor != caf::actor_cast<caf::actor>(front)
              || reply.pools.size() != models.size())
            return false;
          for (const auto& model : models) {
            auto given = reply.pools.find(model);
            auto own = pools.find(model);
            if (given == reply.pools.end() || own == pools.end()
                || given->second != own->second)
              return false;
          }
          return true;
        });
  }

  /// Ends a test: the front's counters come next in the answers, and every
  /// agent in `asked` answers a status question, which is all its log holds
  /// after what the test already took.
  metrics expect_nothing_more(const std::vector<worker_actor>& asked = {}) {
    ask<metrics>(ds, answers, caf::infinite, front, stats_atom::value);
    for (const auto& agent : asked)
      ask<node_status>(ds, answers, caf::infinite, agent, status_atom::value);
    ds.run();
    auto counters = answers->expect_next<metrics>();
    for (size_t i = 0; i < asked.size(); ++i) {
      answers->expect_next<node_status>();
      agent_log->expect_next<caf::atom_value>(
          "the sentinel status question",
          [](const caf::atom_value& x) { return x == status_atom::value; });
    }
    answers->expect_nothing_more();
    agent_log->expect_nothing_more();
    return counters;
  }

  deterministic_system ds;
  std::map<std::string, pool_actor> pools;
  cluster_actor front;
  std::vector<worker_actor> agents;
  std::shared_ptr<ordered_log> answers = std::make_shared<ordered_log>();
  std::shared_ptr<ordered_log> agent_log = std::make_shared<ordered_log>();
};

} // namespace

TEST_CASE("a join with the right token gets the pools of the worker's models "
          "and no other",
          "[cluster_front][cluster]") {
  front_world world;
  auto w1 = world.worker("w1", {"a", "x"});
  world.join(w1, "w1", {"a", "x"});
  world.expect_pools({"a"});
  auto counters = world.expect_nothing_more({w1});
  CHECK(counters.values.at("cluster_nodes_joined_total") == 1);
  CHECK(counters.values.at("cluster_nodes{state=\"joined\"}") == 1);
  CHECK(counters.values.at("cluster_joins_refused_total") == 0);
}

TEST_CASE("a join with a wrong token is refused with UNAUTHORIZED and counted",
          "[cluster_front][cluster]") {
  front_world world;
  auto w1 = world.worker("w1", {"a"});
  world.join(w1, "w1", {"a"}, "guess");
  expect_error(*world.answers, error_code::unauthorized, "token");
  auto status = world.status();
  CHECK(status.joins_refused == 1);
  CHECK(status.nodes_joined == 0);
  REQUIRE(status.nodes.size() == 1);
  CHECK(status.nodes[0].name == "front");
  auto counters = world.expect_nothing_more({w1});
  CHECK(counters.values.at("cluster_joins_refused_total") == 1);
  CHECK(counters.values.at("cluster_nodes_joined_total") == 0);
}

TEST_CASE("the cluster status lists the front, the joined nodes and every "
          "pool",
          "[cluster_front][cluster]") {
  front_world world;
  auto w1 = world.worker("w1", {"a"});
  auto w2 = world.worker("w2", {"a", "b"});
  world.join(w1, "w1", {"a"});
  world.expect_pools({"a"});
  world.ds.advance(3s);
  world.join(w2, "w2", {"a", "b"});
  world.expect_pools({"a", "b"});
  world.ds.advance(2s);
  auto status = world.status();
  CHECK(status.front == "front");
  CHECK(status.nodes_joined == 2);
  CHECK(status.nodes_lost == 0);
  REQUIRE(status.nodes.size() == 3);
  CHECK(status.nodes[0].name == "front");
  CHECK(status.nodes[0].state == "front");
  CHECK(entry_named(status.nodes, "w1").state == "joined");
  CHECK(entry_named(status.nodes, "w1").since_ms == 5000);
  CHECK(entry_named(status.nodes, "w2").state == "joined");
  CHECK(entry_named(status.nodes, "w2").models
        == std::vector<std::string>{"a", "b"});
  CHECK(entry_named(status.nodes, "w2").since_ms == 2000);
  REQUIRE(status.pools.size() == 2);
  CHECK(status.pools[0].model == "a");
  CHECK(status.pools[1].model == "b");
  world.expect_nothing_more({w1, w2});
}

TEST_CASE("a worker whose agent quits is marked lost and counted; the same "
          "name joining again replaces it",
          "[cluster_front][cluster]") {
  front_world world;
  auto first = world.worker("w1", {"a"});
  world.join(first, "w1", {"a"});
  world.expect_pools({"a"});
  caf::anon_send_exit(first, caf::exit_reason::kill);
  world.ds.run();
  world.ds.advance(4s);
  auto lost = world.status();
  CHECK(lost.nodes_lost == 1);
  REQUIRE(lost.nodes.size() == 2);
  CHECK(entry_named(lost.nodes, "w1").state == "lost");
  CHECK(entry_named(lost.nodes, "w1").since_ms == 4000);
  auto counters = world.expect_nothing_more();
  CHECK(counters.values.at("cluster_nodes_lost_total") == 1);
  CHECK(counters.values.at("cluster_nodes{state=\"joined\"}") == 0);

  auto again = world.worker("w1", {"a", "b"});
  world.join(again, "w1", {"a", "b"});
  world.expect_pools({"a", "b"});
  auto rejoined = world.status();
  CHECK(rejoined.nodes_joined == 2);
  CHECK(rejoined.nodes_lost == 1);
  REQUIRE(rejoined.nodes.size() == 2);
  CHECK(entry_named(rejoined.nodes, "w1").state == "joined");
  CHECK(entry_named(rejoined.nodes, "w1").models
        == std::vector<std::string>{"a", "b"});
  CHECK(entry_named(rejoined.nodes, "w1").since_ms == 0);
  counters = world.expect_nothing_more({again});
  CHECK(counters.values.at("cluster_nodes{state=\"joined\"}") == 1);
}

TEST_CASE("pools put and deleted after start change what later joins get",
          "[cluster_front][cluster]") {
  front_world world;
  auto c = spawn_pool(world.ds.sys(), model_task::translation, {"c"});
  caf::anon_send(world.front, caf::put_atom::value, std::string{"c"}, c);
  caf::anon_send(world.front, caf::delete_atom::value, std::string{"a"});
  world.pools.emplace("c", c);
  auto w1 = world.worker("w1", {"a", "b", "c"});
  world.join(w1, "w1", {"a", "b", "c"});
  world.expect_pools({"b", "c"});
  auto status = world.status();
  REQUIRE(status.pools.size() == 2);
  CHECK(status.pools[0].model == "b");
  CHECK(status.pools[1].model == "c");
  world.expect_nothing_more({w1});
}
