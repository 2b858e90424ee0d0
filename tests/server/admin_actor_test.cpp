// The admin actor of a real runtime on CAF's test coordinator. Its models
// have no local replicas (`replicas = 0`, served by worker nodes), so the
// runtime spawns no replica thread: its pools, router, cache and stats actor
// are all event-based and stepped here by hand. A pool is made silent by not
// running it (`run_except`), and time moves only when the test advances it.
// A test probe asks the admin and logs every answer in order.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "messages/admin.hpp"
#include "messages/error_code.hpp"
#include "messages/telemetry.hpp"
#include "models/registry.hpp"
#include "server/admin_actor.hpp"
#include "server/runtime.hpp"
#include "tests/support/actor_doubles.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

model_config worker_model(const std::string& name) {
  model_config model;
  model.name = name;
  model.kind = "echo";
  model.replicas = 0;
  return model;
}

/// A runtime serving "a" and "b", both only through worker nodes, and the
/// log of every answer a probe got from its admin actor.
struct admin_world {
  explicit admin_world(bool histograms = true) {
    runtime_config cfg;
    cfg.histograms = histograms;
    cfg.models = {worker_model("a"), worker_model("b")};
    cfg.detection.engine = "off";
    cfg.request_timeout = 10s;
    rt = std::make_unique<runtime>(ds.sys(), cfg, registry);
    ds.run();
  }

  ~admin_world() {
    rt.reset();
    ds.run();
  }

  /// The pool of model `name`.
  pool_actor pool_of(const std::string& name) {
    for (const auto& model : rt->served())
      if (model.config.name == name)
        return model.pool;
    FAIL("no model " << name);
    return {};
  }

  /// Has a probe ask the admin actor for `xs...` (runs nothing).
  template <class Result, class... Ts> void ask_admin(Ts... xs) {
    ask<Result>(ds, answers, caf::infinite, rt->admin(), xs...);
  }

  /// Asks the admin to load model `name` from the TOML `table`, and runs.
  void load(const std::string& name, const std::string& table) {
    ask_admin<done_atom>(caf::put_atom::value, name, table);
    ds.run();
  }

  /// Ends a test: the admin's counters come next, and nothing after them.
  void expect_nothing_more() {
    ask_admin<metrics>(stats_atom::value);
    ds.run();
    answers->expect_next<metrics>();
    answers->expect_nothing_more();
  }

  deterministic_system ds;
  backend_registry registry = backend_registry::builtin();
  std::unique_ptr<runtime> rt;
  std::shared_ptr<ordered_log> answers = std::make_shared<ordered_log>();
};

} // namespace

TEST_CASE("the server status waits for a silent pool until its deadline, then "
          "answers without it",
          "[admin][server]") {
  admin_world world;
  auto silent = world.pool_of("b");
  world.ask_admin<server_status>(status_atom::value, caf::timespan{2s});
  world.ds.run_except(silent);
  CHECK(world.answers->empty());
  world.ds.advance_except(1999ms, silent);
  CHECK(world.answers->empty());
  world.ds.advance_except(1ms, silent);
  auto status = world.answers->expect_next<server_status>();
  REQUIRE(status.models.size() == 2);
  CHECK(entry_named(status.models, "a").answered);
  CHECK(entry_named(status.models, "a").pool.model == "a");
  CHECK(entry_named(status.models, "a").local_replicas == 0);
  CHECK_FALSE(entry_named(status.models, "b").answered);
  CHECK(entry_named(status.models, "b").pool.model.empty());
  CHECK_FALSE(status.ready());
  // The silent pool answers at last, too late: nothing more reaches the
  // probe.
  world.ds.run();
  world.expect_nothing_more();
}

TEST_CASE("the server status comes at once when every pool answers",
          "[admin][server]") {
  admin_world world;
  world.ask_admin<server_status>(status_atom::value, caf::timespan{2s});
  world.ds.run();
  auto status = world.answers->expect_next<server_status>();
  REQUIRE(status.models.size() == 2);
  CHECK(entry_named(status.models, "a").answered);
  CHECK(entry_named(status.models, "b").answered);
  // Served only by workers, none of which joined yet.
  CHECK_FALSE(status.ready());
  world.expect_nothing_more();
}

TEST_CASE("ready does not wait for models that only workers serve",
          "[admin][server]") {
  admin_world world;
  world.ask_admin<std::vector<std::string>>(ready_atom::value,
                                            caf::timespan{5s});
  world.ds.run();
  world.answers->expect_next<std::vector<std::string>>(
      "no model waited for",
      [](const std::vector<std::string>& waiting) { return waiting.empty(); });
  world.expect_nothing_more();
}

TEST_CASE("a pool asked whether it is settled answers once a replica joined; "
          "one without a replica is left to the asker's deadline",
          "[admin][server]") {
  // What `ready` asks each pool with local replicas, asked here of the
  // runtime's pools directly: local replicas would be real threads.
  admin_world world;
  auto batches = std::make_shared<ordered_log>();
  ask<pool_status>(world.ds, world.answers, caf::timespan{5s},
                   world.pool_of("a"), ready_atom::value);
  ask<pool_status>(world.ds, world.answers, caf::timespan{5s},
                   world.pool_of("b"), ready_atom::value);
  world.ds.run();
  CHECK(world.answers->empty());
  auto info = replica_of_m();
  info.model = "a";
  info.kind = "echo";
  spawn_held_replica(world.ds.sys(), info, world.pool_of("a"), {}, batches);
  world.ds.run();
  world.answers->expect_next<pool_status>(
      "the status of \"a\" with its replica", [](const pool_status& status) {
        return status.model == "a" && status.replicas.size() == 1;
      });
  world.ds.advance(4999ms);
  CHECK(world.answers->empty());
  world.ds.advance(1ms);
  expect_error(*world.answers, error_code::timeout);
  world.expect_nothing_more();
  batches->expect_nothing_more();
}

TEST_CASE("loading a model with a bad table answers INVALID_REQUEST naming "
          "the key",
          "[admin][server]") {
  admin_world world;
  world.load("c", "kind = \"echo\"\nreplicaz = 0\n");
  expect_error(*world.answers, error_code::invalid_request,
               "models.c.replicaz");
  CHECK(world.rt->served().size() == 2);
  world.expect_nothing_more();
}

TEST_CASE("a model loaded while serving is routed and listed; unloading it "
          "drains its pool, then forgets it",
          "[admin][server]") {
  admin_world world;
  world.load("c", "kind = \"echo\"\nreplicas = 0\n");
  expect_atom(*world.answers, done_atom::value);
  world.ask_admin<server_status>(status_atom::value, caf::timespan{2s});
  world.ds.run();
  auto loaded = world.answers->expect_next<server_status>();
  CHECK(loaded.models.size() == 3);
  CHECK(entry_named(loaded.models, "c").answered);

  world.ask_admin<bool>(caf::delete_atom::value, std::string{"c"});
  world.ds.run();
  world.answers->expect_next<bool>("true: unloaded",
                                   [](bool unloaded) { return unloaded; });
  CHECK(world.rt->served().size() == 2);
  world.expect_nothing_more();
}

TEST_CASE("unloading a model that is not served answers false",
          "[admin][server]") {
  admin_world world;
  world.ask_admin<bool>(caf::delete_atom::value, std::string{"nope"});
  world.ds.run();
  world.answers->expect_next<bool>("false: no such model",
                                   [](bool unloaded) { return !unloaded; });
  CHECK(world.rt->served().size() == 2);
  world.expect_nothing_more();
}

TEST_CASE("the dashboard's summary waits for a silent telemetry actor until "
          "its deadline, then answers with every pool and no timings",
          "[admin][server][dashboard]") {
  admin_world world;
  auto silent = world.rt->telemetry();
  REQUIRE(silent);
  ask<dashboard_summary>(world.ds, world.answers, caf::infinite,
                         world.rt->dashboard(), dashboard_atom::value,
                         caf::timespan{2s});
  world.ds.run_except(silent);
  CHECK(world.answers->empty());
  world.ds.advance_except(2s, silent);
  auto summary = world.answers->expect_next<dashboard_summary>(
      "the summary", [](const dashboard_summary&) { return true; });
  CHECK(summary.histograms);
  CHECK(summary.node == world.rt->config().node_name);
  REQUIRE(summary.pools.size() == 2);
  CHECK(summary.pools[0].model == "a");
  CHECK(summary.pools[0].task == "translation");
  CHECK(summary.pools[1].model == "b");
  CHECK(summary.latency_seconds.count == 0);
  world.ds.run();
  world.expect_nothing_more();
}

TEST_CASE("with histograms off the dashboard's summary comes at once and "
          "says they are off",
          "[admin][server][dashboard]") {
  admin_world world{/*histograms=*/false};
  CHECK_FALSE(world.rt->telemetry());
  ask<dashboard_summary>(world.ds, world.answers, caf::infinite,
                         world.rt->dashboard(), dashboard_atom::value,
                         caf::timespan{2s});
  world.ds.run();
  auto summary = world.answers->expect_next<dashboard_summary>(
      "the summary", [](const dashboard_summary&) { return true; });
  CHECK_FALSE(summary.histograms);
  CHECK(summary.pools.size() == 2);
  world.expect_nothing_more();
}
