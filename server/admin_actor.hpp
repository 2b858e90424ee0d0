#pragma once

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/telemetry.hpp"

namespace parley {

class runtime;

/// Spawns the admin actor of `rt` (see `admin_actor` in messages/fwd.hpp):
/// what HTTP, the voice API and the tools ask of the server as a whole, and
/// the dashboard's summary (`dashboard_source` in messages/telemetry.hpp).
/// It never blocks: each question goes to every pool at once, and the answer
/// is delivered when the last pool answered or its deadline passed. `rt`
/// must outlive it.
admin_dashboard_actor spawn_admin(caf::actor_system& sys, runtime& rt);

} // namespace parley
