#pragma once

#include <cstddef>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/reload.hpp"

namespace parley {

/// Spawns the translation cache: an LRU of at most `capacity` entries keyed by
/// (model, source language, target language, text). A lookup answers every
/// target language of a query at once; identical misses in flight are
/// coalesced, so one inference serves every request that asked for it.
///
/// With a `shared` tier (io/redis/redis_tier), a local miss that nobody
/// computes is asked there before the asker leads it: a hit fills the local LRU
/// and answers the asker and everyone coalesced on the key; a result computed
/// here is handed to the shared tier in the background. The answer to a
/// query with such misses waits for the tier (bounded by its timeout).
/// `capacity` sets a new capacity while serving (a configuration reload).
resizable_cache_actor spawn_cache(caf::actor_system& sys, size_t capacity,
                                  redis_tier_actor shared = {});

} // namespace parley
