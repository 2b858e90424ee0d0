#pragma once

// The claim across fronts on a missing translation (see docs/redis.md):
// taken on a miss, polled by the fronts that find it taken, released by
// compare-and-delete once the value is written or abandoned.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/redis/redis_tier_state.hpp"

namespace parley::tier {

/// Decodes the first reply that holds a translation. Corrupt values are
/// counted by the first lookup only; the lock's re-reads see them again.
std::optional<cached_text>
first_text(tier_state& st, const std::vector<redis_reply>& replies, size_t from,
           size_t to, const tier_text_key& key, size_t* which = nullptr,
           bool count_corrupt = false);

/// Asks once more for the value that waiter `id` waits for.
void poll_claimed(tier_pointer self, uint64_t id);

/// A miss: claim the key so other fronts wait for this one, or wait for
/// the front that claimed it.
void claim(tier_pointer self, const tier_text_key& key, const std::string& name,
           std::function<void(std::optional<cached_text>)> done);

/// Drops this front's claim on `name`, if it holds one.
void release(tier_pointer self, const std::string& name);

} // namespace parley::tier
