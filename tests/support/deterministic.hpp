#pragma once

// An actor system on CAF's test coordinator: one thread, the test's own,
// runs every actor; time moves only when the test advances it. Actors under
// test here must be event-based (a detached actor would need a thread).

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include "messages/registration.hpp"

namespace parley::test {

class deterministic_system {
public:
  deterministic_system() {
    register_message_types(cfg_);
    cfg_.set("scheduler.policy", caf::atom("testing"));
    cfg_.set("logger.file-verbosity", caf::atom("quiet"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    sched_ = &dynamic_cast<caf::scheduler::test_coordinator&>(sys_->scheduler());
    // Nothing runs unless the test runs it, so waiting for actors to finish
    // on shutdown would wait forever for those a test leaves alive.
    sys_->await_actors_before_shutdown(false);
  }

  ~deterministic_system() {
    run();
  }

  caf::actor_system& sys() {
    return *sys_;
  }

  /// Runs every actor until no message is left; returns how many ran.
  size_t run() {
    return sched_->run();
  }

  /// Moves the clock by `step`, fires what fell due, and runs.
  void advance(caf::timespan step) {
    sched_->advance_time(step);
    run();
  }

private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_ = nullptr;
};

} // namespace parley::test
