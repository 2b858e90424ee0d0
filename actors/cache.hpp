#pragma once

#include <cstddef>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Spawns the translation cache: an LRU of at most `capacity` entries keyed by
/// (model, source language, target language, text). A lookup answers every
/// target language of a query at once; identical misses in flight are
/// coalesced, so one inference serves every request that asked for it.
cache_actor spawn_cache(caf::actor_system& sys, size_t capacity);

} // namespace parley
