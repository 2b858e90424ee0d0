#pragma once

#include <caf/fwd.hpp>

namespace parley {

/// Registers every Parley message type and the Parley error category. Call
/// once on each actor_system_config before the system starts.
void register_message_types(caf::actor_system_config& cfg);

} // namespace parley
