#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace parley {

/// `[cache.redis]`: the shared second cache tier (see docs/redis.md).
struct redis_tier_config {
  /// `redis://[[user]:password@]host[:port][/db]` or `unix:///path`.
  std::string url = "redis://localhost:6379";
  /// When set, wins over the URL's password and database.
  std::string password;
  std::optional<int64_t> database;
  /// Prepended to every key; empty shares the keys of the service Parley
  /// replaces.
  std::string key_prefix;
  /// Lifetime of translations (the old service's TRANSLATION_CACHE_TTL).
  int64_t ttl_s = 2592000;
  /// Lifetime of transcriptions and spoken translations.
  int64_t audio_ttl_s = 2592000;
  /// Longest wait for one Redis round trip; a slower lookup is a miss.
  std::chrono::milliseconds timeout{5};
  std::chrono::milliseconds connect_timeout{200};
  /// How long a front's claim on a missing translation lasts.
  std::chrono::milliseconds lock_ttl{10000};
  /// How long another front waits for the claimed translation before it
  /// computes it anyway; 0 takes no locks.
  std::chrono::milliseconds lock_wait{2000};
  /// Interval of those checks.
  std::chrono::milliseconds lock_poll{5};
  /// Longest pause between reconnection attempts.
  std::chrono::milliseconds max_backoff{5000};
  /// Writes waiting for Redis beyond this are dropped.
  size_t max_pending_writes = 10000;
};

} // namespace parley
