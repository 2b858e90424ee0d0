#pragma once

#include <chrono>
#include <cstddef>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// How much a front remembers of its conversations' languages.
struct conversation_memory_config {
  /// Keys held, conversations and senders together; remembering one more
  /// forgets the least recently used.
  size_t capacity = 100000;
  /// Languages kept per key, most recent first.
  size_t depth = 8;
  /// How long a recall waits for the shared tier before it answers what is
  /// known here.
  caf::timespan shared_timeout = std::chrono::milliseconds{20};
};

/// Spawns the conversation memory: the languages recently detected per
/// conversation and per sender, at most `config.depth` per key, most recent
/// first, in one LRU of at most `config.capacity` keys. A conversation and a
/// sender with the same id are kept apart; empty ids and empty languages are
/// ignored.
///
/// With a `shared` tier (the Redis tier, io/redis/redis_tier, which fronts
/// share), every remembered language is written there too, in the
/// background, and a recall of keys not held here asks there first: what it
/// answers within `config.shared_timeout` fills the local LRU; silence or an
/// error answers what is known here. A key remembered here before it was
/// recalled holds only what was remembered here. Without a tier a recall is
/// answered at once.
local_conversation_memory_actor
spawn_conversation_memory(caf::actor_system& sys,
                          conversation_memory_config config,
                          conversation_memory_actor shared = {});

} // namespace parley
