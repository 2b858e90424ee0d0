#pragma once

// The tier's two connections, seen from its actor: lookups queued and sent
// as pipelines on the reader, writes on the writer, each lookup's deadline,
// and reconnection with backoff when Redis fails (see io/redis/redis_tier.hpp).

#include <string>
#include <vector>

#include "io/redis/redis_tier_state.hpp"

namespace parley::tier {

/// Sends `commands` on the lookup connection; `done` runs once.
void submit_read(tier_pointer self,
                 std::vector<std::vector<std::string>> commands,
                 reply_handler done);

/// Lookup `id` reached its deadline: a miss, unless answered already.
void on_deadline(tier_pointer self, uint64_t id);

/// Queues `command` on the write connection, or drops it.
void submit_write(tier_pointer self, std::vector<std::string> command);

/// (Re)connects both workers; retries with backoff until both are up.
void probe(tier_pointer self);

} // namespace parley::tier
