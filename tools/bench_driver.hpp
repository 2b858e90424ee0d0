#pragma once

// The in-process request driver the runtime benchmarks share.

#include <cstddef>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/translation.hpp"
#include "tools/bench_stats.hpp"

namespace parley {

/// `drive_requests`' text pool for texts never sent before, in this run or
/// an earlier one, so that every request misses the caches.
constexpr size_t unique_texts = static_cast<size_t>(-1);

/// Sends `total` copies of `prototype` (ids 0..total-1) to `router`,
/// keeping `concurrency` in flight, and times each from send to its
/// `translation_done`. `text_pool` 0 sends the prototype's text every time;
/// N cycles through N variants of it, so that requests in flight never
/// share a text (no coalescing); `unique_texts` sends new texts only.
round_result drive_requests(caf::actor_system& sys, const router_actor& router,
                            const translate_request& prototype, size_t total,
                            size_t concurrency, size_t text_pool = 0);

/// Sends one request and waits for it: fills the cache before timing.
/// Returns false (and says why on standard error) when a language failed.
bool warm_up(caf::actor_system& sys, const router_actor& router,
             const translate_request& prototype);

} // namespace parley
