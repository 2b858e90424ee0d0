#pragma once

#include <cstddef>

#include <caf/actor_system_config.hpp>

namespace parley {

/// Actor-system settings shared by parleyd, the parley CLI and the tests:
/// every Parley message type registered, and `threads` scheduler threads
/// (0 means one per core).
class system_config : public caf::actor_system_config {
public:
  explicit system_config(size_t threads = 0);
};

} // namespace parley
