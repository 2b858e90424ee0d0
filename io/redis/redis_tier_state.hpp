#pragma once

// What the parts of the shared cache tier share, inside its one actor: the
// settings, the two connections' queues, the claims and the counters.
// io/redis/redis_connections runs the connections, io/redis/redis_lock the
// claims across fronts, and io/redis/redis_tier the tier's behaviour on top of
// both.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/stateful_actor.hpp>

#include "io/redis/redis_config.hpp"
#include "messages/cache_types.hpp"
#include "messages/fwd.hpp"
#include "messages/metrics.hpp"
#include "messages/redis.hpp"

namespace parley::tier {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto first_backoff = 100ms;
/// Lookups per pipeline; more wait for the next round trip.
constexpr size_t max_batch_ops = 256;
constexpr double latency_buckets[] = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.05};

/// Called once per lookup with its replies, or nullptr when Redis did not
/// answer in time or is down.
using reply_handler = std::function<void(const std::vector<redis_reply>*)>;

struct read_op {
  std::vector<std::vector<std::string>> commands;
  reply_handler done;
  clock_type::time_point submitted;
  bool answered = false;
  bool dispatched = false;
};

/// A lookup whose key another front has claimed: it polls for the value.
struct lock_waiter {
  std::string key;
  clock_type::time_point give_up;
  std::function<void(std::optional<cached_text>)> done;
  tier_text_key text_key;
};

struct tier_state {
  redis_tier_config cfg;
  std::string where;
  redis_worker_actor reader;
  redis_worker_actor writer;
  bool up = false;
  /// Logged that Redis is unusable; cleared once it is back.
  bool warned = false;
  bool reader_busy = false;
  /// The reader holds a pipeline past its deadline: Redis is slow, so new
  /// lookups are misses at once instead of queueing behind it.
  bool reader_overdue = false;
  bool writer_busy = false;
  std::chrono::milliseconds backoff = first_backoff;
  uint64_t next_id = 1;
  std::unordered_map<uint64_t, read_op> reads;
  std::deque<uint64_t> read_queue;
  std::deque<std::vector<std::string>> write_queue;
  std::unordered_map<uint64_t, lock_waiter> waiters;
  std::unordered_set<std::string> held_locks;
  std::string lock_token;
  metrics counters;
  double latency_sum = 0;
  uint64_t latency_count = 0;
  uint64_t latency_bucket[std::size(latency_buckets)] = {};

  static inline const char* name = "redis_tier";
};

using tier_pointer = caf::stateful_actor<tier_state>*;

inline void count(tier_state& st, const std::string& name, double n = 1) {
  st.counters.values[name] += n;
}

} // namespace parley::tier
