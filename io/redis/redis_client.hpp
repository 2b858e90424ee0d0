#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/redis.hpp"

struct redisContext;

namespace parley {

/// Where a Redis server is and how to log in.
struct redis_endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  /// A Unix socket path; when set, host and port are ignored.
  std::string unix_path;
  std::string username;
  std::string password;
  int64_t database = 0;
};

/// Reads `redis://[[user]:password@]host[:port][/db]` or
/// `unix:///path[?db=N]`, as redis-py's `from_url` reads them. Throws
/// `std::invalid_argument` naming what is wrong (TLS `rediss://` included:
/// it is not supported).
redis_endpoint parse_redis_url(const std::string& url);

/// One blocking connection to Redis through hiredis. Every socket read and
/// write gives up after the I/O timeout, and a failure closes the
/// connection: the next call must reconnect. Not thread-safe; one actor owns
/// it (io/redis/redis_worker).
class redis_connection {
public:
  redis_connection(redis_endpoint endpoint,
                   std::chrono::milliseconds connect_timeout,
                   std::chrono::milliseconds io_timeout);
  ~redis_connection();

  redis_connection(const redis_connection&) = delete;
  redis_connection& operator=(const redis_connection&) = delete;

  /// Connects, logs in, selects the database and pings. Returns an empty
  /// string, or why it failed.
  std::string connect();

  bool connected() const {
    return context_ != nullptr;
  }

  /// Sends every command at once and reads one reply per command. A reply
  /// that is a Redis error is a reply; a broken or slow connection makes the
  /// whole pipeline fail with `error` set.
  redis_replies pipeline(const std::vector<std::vector<std::string>>& commands);

  void close();

private:
  redis_endpoint endpoint_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds io_timeout_;
  redisContext* context_ = nullptr;
};

} // namespace parley
