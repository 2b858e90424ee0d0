#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace parley {

/// The last guarantee that parleyd stops when told. Armed when a stop signal
/// arrives; if the process has not finished its shutdown (drain, actors
/// stopped, sockets closed) by `deadline`, it logs why and ends the process
/// with `status` there and then. Whatever a replica is doing (loading a
/// checkpoint for minutes, running a batch, or held by a reference CAF
/// never releases), SIGTERM ends the process in bounded time. Work in
/// flight was answered by the drain or is requeued by the front's pools.
class stop_deadline {
public:
  stop_deadline(std::chrono::milliseconds deadline, int status);

  /// Disarms it: the shutdown finished in time.
  ~stop_deadline();

  stop_deadline(const stop_deadline&) = delete;
  stop_deadline& operator=(const stop_deadline&) = delete;

private:
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  std::thread watcher_;
};

} // namespace parley
