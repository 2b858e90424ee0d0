#include "tools/stop_deadline.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

namespace parley {

stop_deadline::stop_deadline(std::chrono::milliseconds deadline, int status) {
  watcher_ = std::thread{[this, deadline, status] {
    std::unique_lock<std::mutex> guard{mutex_};
    if (finished_.wait_for(guard, deadline, [this] { return done_; }))
      return;
    spdlog::error("parleyd: the shutdown did not finish within its deadline "
                  "of {} ms; exiting now",
                  deadline.count());
    spdlog::default_logger()->flush();
    std::_Exit(status);
  }};
}

stop_deadline::~stop_deadline() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    done_ = true;
  }
  finished_.notify_one();
  watcher_.join();
}

} // namespace parley
