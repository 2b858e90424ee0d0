#pragma once

// The in-process request driver the runtime benchmarks share.

#include <cstddef>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/translation.hpp"
#include "tools/bench_stats.hpp"

namespace parley {

/// Sends `total` copies of `prototype` (ids 0..total-1) to `router`,
/// keeping `concurrency` in flight, and times each from send to its
/// `translation_done`.
round_result drive_requests(caf::actor_system& sys, const router_actor& router,
                            const translate_request& prototype, size_t total,
                            size_t concurrency);

/// Sends one request and waits for it: fills the cache before timing.
/// Returns false (and says why on standard error) when a language failed.
bool warm_up(caf::actor_system& sys, const router_actor& router,
             const translate_request& prototype);

} // namespace parley
