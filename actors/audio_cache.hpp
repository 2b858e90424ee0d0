#pragma once

#include <cstddef>
#include <string>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/reload.hpp"

namespace parley {

/// Spawns the audio cache: two LRUs of at most `capacity` entries each, one
/// for transcriptions and one for spoken translations, keyed by the hash of
/// the recording. With a `shared` tier (io/redis/redis_tier), a local miss is
/// asked there, a hit there fills the local LRU, and every store goes there too
/// in the background. `capacity` sets a new capacity of each LRU while
/// serving (a configuration reload).
resizable_audio_cache_actor spawn_audio_cache(caf::actor_system& sys,
                                              size_t capacity,
                                              redis_tier_actor shared = {});

/// The first 32 hex digits of the SHA-256 of a recording's bytes: the key the
/// service Parley replaces used for its audio entries.
std::string audio_hash(const std::string& bytes);

} // namespace parley
