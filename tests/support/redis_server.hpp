#pragma once

// A real redis-server for tests: started on a free port with persistence
// off and keyspace notifications on, and stopped (killed) on destruction.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/redis/redis_config.hpp"
#include "tools/subprocess.hpp"

struct redisContext;

namespace parley::test {

class redis_server {
public:
  /// Starts redis-server and waits until it answers PING.
  redis_server();
  ~redis_server();

  uint16_t port() const {
    return port_;
  }

  /// `redis://127.0.0.1:<port>`.
  std::string url() const;

  /// A `[cache.redis]` configuration for this server, with generous
  /// timeouts: tests check behaviour, not speed, on a loaded machine.
  redis_tier_config tier_config() const;

  /// The same as a TOML table.
  std::string toml() const;

  /// Kills the server (SIGKILL), as a crash would.
  void kill();
  /// Starts it again on the same port, empty.
  void start();
  /// SIGSTOP: the server keeps its sockets but answers nothing.
  void pause();
  /// SIGCONT.
  void resume();

  /// Direct access, through a connection of the test's own.
  std::optional<std::string> get(const std::string& key);
  void set(const std::string& key, const std::string& value);
  int64_t ttl(const std::string& key);

  /// Waits until `key` holds a value, on its keyspace events; false when
  /// none comes within 20 seconds.
  bool wait_for_key(const std::string& key);

private:
  std::string command(const std::vector<std::string>& argv);

  uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

/// The keyspace events of one key ("set", "expire", "expired", "del", ...),
/// from construction on: subscribe first, then act, then wait.
class key_events {
public:
  key_events(redis_server& redis, std::string key);
  ~key_events();

  key_events(const key_events&) = delete;
  key_events& operator=(const key_events&) = delete;

  /// Waits for the next event named `event`; false when none comes within
  /// `timeout`.
  bool wait_for(const std::string& event,
                std::chrono::seconds timeout = std::chrono::seconds(20));

  /// Waits until `holds` is true of the key's value (nothing when it has
  /// none): checks now, then again after each event; false when it does
  /// not hold within `timeout`.
  bool wait_until(
      const std::function<bool(const std::optional<std::string>&)>& holds,
      std::chrono::seconds timeout = std::chrono::seconds(20));

private:
  /// The next event's name; nothing at `deadline`.
  std::optional<std::string>
  next_event(std::chrono::steady_clock::time_point deadline);

  redis_server& redis_;
  std::string key_;
  redisContext* context_ = nullptr;
};

} // namespace parley::test
