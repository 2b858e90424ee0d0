#pragma once

// An HTTP server that slow or hostile clients cannot starve. cpp-httplib
// gives each connection a worker thread from the moment it is accepted, so a
// few hundred clients sending their headers a byte at a time hold every
// worker, and `/health` goes unanswered. Here a connection reaches a worker
// only once its whole request head has arrived: until then it waits in one
// epoll set, with a deadline, costing no thread. Workers then read the body
// under a deadline of their own, and a kept-alive connection goes back to
// the epoll set between requests.

#include <chrono>
#include <cstddef>
#include <memory>

#include <httplib.h>

namespace parley {

/// The `[http]` limits.
struct http_limits {
  /// Largest request body; a longer one is answered 413 unread.
  size_t max_body_bytes = 1 << 20;
  /// Time for a request head (request line and headers) to arrive, counted
  /// from the connection or, on a kept-alive one, from the last response.
  std::chrono::milliseconds header_timeout{5000};
  /// Time for the body to arrive once the head is complete.
  std::chrono::milliseconds body_timeout{10000};
  /// Time a client may take to read a response.
  std::chrono::milliseconds write_timeout{5000};
  /// How long a status answer waits for each model's pool (all are asked at
  /// once); a pool silent that long counts as not loaded.
  std::chrono::milliseconds status_timeout{2000};
  /// Threads serving complete requests.
  size_t workers = 4;
  /// Connections open at once, waiting or served; more are closed at
  /// accept.
  size_t max_connections = 1024;
  /// Requests served on one connection before it is closed.
  size_t keep_alive_max_requests = 100;
  /// Longest request head; a longer one closes the connection.
  size_t max_header_bytes = 8192;
};

/// A cpp-httplib server with the limits above. Install routes as on any
/// `httplib::Server`; `listen_after_bind` serves until `stop`.
class guarded_http_server : public httplib::Server {
public:
  explicit guarded_http_server(http_limits limits);
  ~guarded_http_server() override;

  /// Binds like `bind_to_port`, with a listen backlog of SOMAXCONN instead
  /// of cpp-httplib's 5: past the backlog the kernel drops a client's SYN,
  /// and the client waits a second to try again.
  bool bind(const std::string& host, int port);

  /// Stops accepting, closes every connection and joins the threads.
  void shutdown();

  /// Connections open now (waiting for a head or being served).
  size_t open_connections() const;

  /// Connections closed for a head or body that was too slow or too large.
  size_t refused_connections() const;

  class gate;

private:
  // Called by httplib's accept loop for each new socket.
  bool process_and_close_socket(socket_t sock) override;

  std::unique_ptr<gate> gate_;
  /// The listening socket, seen when cpp-httplib sets its options.
  socket_t listening_ = INVALID_SOCKET;
};

} // namespace parley
