#pragma once

// A real redis-server for tests: started on a free port with persistence
// off, and stopped (killed) on destruction.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/redis/redis_config.hpp"
#include "tools/subprocess.hpp"

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

private:
  std::string command(const std::vector<std::string>& argv);

  uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

} // namespace parley::test
