// The supervisor's stop, on CAF's test coordinator: it quits only once
// every replica it started is down, so whoever waits for it (a worker
// node, the runtime) knows that no replica thread is left running.

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/supervisor.hpp"
#include "messages/error_code.hpp"
#include "tests/support/deterministic.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

using finish_atom = caf::atom_constant<caf::atom("finish")>;

/// A replica that, told to exit, goes on until the test says `finish`: a
/// replica still loading its checkpoint or running a batch.
caf::actor
spawn_slow_replica(caf::actor_system& sys,
                   std::shared_ptr<std::vector<caf::actor>> started) {
  auto replica = sys.spawn([](caf::event_based_actor* self) -> caf::behavior {
    auto told = std::make_shared<caf::error>();
    self->set_exit_handler([told](caf::exit_msg& msg) { *told = msg.reason; });
    return {[self, told](finish_atom) { self->quit(*told); }};
  });
  started->push_back(replica);
  return replica;
}

/// Records the down messages of what it monitors.
struct down_log {
  std::vector<caf::actor_addr> down;
};

caf::actor spawn_watcher(caf::actor_system& sys,
                         std::shared_ptr<down_log> log) {
  return sys.spawn([log](caf::event_based_actor* self) -> caf::behavior {
    self->set_down_handler(
        [log](caf::down_msg& msg) { log->down.push_back(msg.source); });
    return {[self](caf::monitor_atom, caf::actor& who) { self->monitor(who); }};
  });
}

} // namespace

TEST_CASE("a supervisor told to stop quits only once every replica is down, "
          "and starts none meanwhile",
          "[actors]") {
  deterministic_system ds;
  auto started = std::make_shared<std::vector<caf::actor>>();
  supervisor_config config{"m", /*replicas=*/2, /*max_failed_starts=*/3};
  auto supervisor = spawn_supervisor(
      ds.sys(), config,
      [started](caf::actor_system& sys, const supervisor_actor&) {
        return spawn_slow_replica(sys, started);
      },
      replica_dispatcher{});
  ds.run();
  REQUIRE(started->size() == 2);
  auto log = std::make_shared<down_log>();
  auto watcher = spawn_watcher(ds.sys(), log);
  caf::anon_send(watcher, caf::monitor_atom::value,
                 caf::actor_cast<caf::actor>(supervisor));
  ds.run();
  caf::anon_send_exit(supervisor, caf::exit_reason::user_shutdown);
  ds.run();
  CHECK(log->down.empty());
  caf::anon_send((*started)[0], finish_atom::value);
  ds.run();
  // One replica is down, the other still runs: nothing was restarted and the
  // supervisor still waits, even once its restart backoff would have passed.
  ds.advance(30s);
  CHECK(started->size() == 2);
  CHECK(log->down.empty());
  caf::anon_send((*started)[1], finish_atom::value);
  ds.run();
  REQUIRE(log->down.size() == 1);
  CHECK(log->down[0] == supervisor.address());
  CHECK(started->size() == 2);
}
