#include "models/load_progress.hpp"

#include <cmath>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

namespace parley {

namespace {

std::mutex listener_mtx;

void log_tenths(const std::string& model, double fraction,
                const std::string& step) {
  // One line per tenth and model, however often loaders report.
  static std::map<std::string, int> last_tenth;
  auto tenth = static_cast<int>(std::floor(fraction * 10));
  auto& last = last_tenth[model];
  if (fraction > 0 && tenth == last && fraction < 1)
    return;
  last = tenth;
  spdlog::info("model {}: loading {:3.0f}% ({})", model, fraction * 100, step);
}

load_progress_listener& listener() {
  static load_progress_listener current = log_tenths;
  return current;
}

} // namespace

void set_load_progress_listener(load_progress_listener next) {
  std::lock_guard<std::mutex> guard{listener_mtx};
  listener() = next ? std::move(next) : load_progress_listener{log_tenths};
}

void report_load_progress(const std::string& model, double fraction,
                          const std::string& step) {
  // Loading only, never inference: replicas may load side by side.
  std::lock_guard<std::mutex> guard{listener_mtx};
  listener()(model, fraction, step);
}

} // namespace parley
