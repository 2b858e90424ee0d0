#pragma once

#include <cstddef>
#include <string>

#include <caf/actor_system_config.hpp>

namespace parley {

/// How the actor system schedules its event-based actors (router, handlers,
/// cache, pools). Model actors run on threads of their own either way.
struct scheduler_settings {
  /// Scheduler threads; 0 picks half the cores, at least one. Measured with
  /// `parley bench cache` on 2 cores: one thread beats two, because the
  /// actors do little work per message and a second thread mostly adds
  /// hand-offs between cores.
  size_t threads = 0;
  /// "sharing" (one shared queue; fastest at one or two threads) or
  /// "stealing" (per-thread queues; for many cores).
  std::string policy = "sharing";
};

/// Actor-system settings shared by parleyd, the parley CLI and the tests:
/// every Parley message type registered, and the scheduler set up.
class system_config : public caf::actor_system_config {
public:
  explicit system_config(const scheduler_settings& scheduler = {});
};

} // namespace parley
