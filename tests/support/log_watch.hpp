#pragma once

// The lines this process logs through spdlog, for a test to wait on: an
// event that an actor announces in the log ("redis: connected to ...") is
// awaited as it happens, without polling the actor's state.

#include <chrono>
#include <memory>
#include <string>

namespace parley::test {

class log_sink;

/// Watches the default logger from construction to destruction. Construct
/// it before the actors whose lines it waits for, and let it outlive them.
class log_watch {
public:
  log_watch();
  ~log_watch();

  log_watch(const log_watch&) = delete;
  log_watch& operator=(const log_watch&) = delete;

  /// Waits for the next line containing `text`, after the line the last
  /// wait took; false when none comes within `timeout`.
  bool wait_for(const std::string& text,
                std::chrono::seconds timeout = std::chrono::seconds(20));

private:
  std::shared_ptr<log_sink> sink_;
  size_t taken_ = 0;
};

} // namespace parley::test
