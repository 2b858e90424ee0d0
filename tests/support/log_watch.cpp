#include "tests/support/log_watch.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace parley::test {

/// Keeps every line it is given and wakes the waiters.
class log_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  /// Waits until a line from the `from`th on contains `text`; returns its
  /// index, or nothing at `deadline`.
  std::optional<size_t>
  wait_for(const std::string& text, size_t from,
           std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> guard{lines_mtx_};
    std::optional<size_t> found;
    logged_.wait_until(guard, deadline, [&] {
      for (auto i = from; i < lines_.size(); ++i)
        if (lines_[i].find(text) != std::string::npos) {
          found = i;
          return true;
        }
      return false;
    });
    return found;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    {
      std::lock_guard<std::mutex> guard{lines_mtx_};
      lines_.emplace_back(msg.payload.data(), msg.payload.size());
    }
    logged_.notify_all();
  }

  void flush_() override {
  }

private:
  std::mutex lines_mtx_;
  std::condition_variable logged_;
  std::vector<std::string> lines_;
};

log_watch::log_watch() : sink_(std::make_shared<log_sink>()) {
  spdlog::default_logger()->sinks().push_back(sink_);
}

log_watch::~log_watch() {
  auto& sinks = spdlog::default_logger()->sinks();
  sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
}

bool log_watch::wait_for(const std::string& text,
                         std::chrono::seconds timeout) {
  auto found =
      sink_->wait_for(text, taken_, std::chrono::steady_clock::now() + timeout);
  if (!found)
    return false;
  taken_ = *found + 1;
  return true;
}

} // namespace parley::test
