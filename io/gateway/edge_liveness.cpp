#include "io/gateway/edge_liveness.hpp"

namespace parley {

edge_liveness::edge_liveness() {
  for (size_t i = 0; i < part_count; ++i) {
    last_beat_ns_[i] = now_ns();
    stopped_[i] = false;
  }
  beats_[zmq_pull] = true;
}

void edge_liveness::beat(part which) {
  last_beat_ns_[which].store(now_ns(), std::memory_order_relaxed);
}

void edge_liveness::stopped(part which) {
  stopped_[which] = true;
}

std::vector<std::string>
edge_liveness::failing(std::chrono::milliseconds stale) const {
  std::vector<std::string> result;
  auto now = now_ns();
  for (size_t i = 0; i < part_count; ++i) {
    auto age = now - last_beat_ns_[i].load(std::memory_order_relaxed);
    if (stopped_[i] || (beats_[i] && age > stale.count() * 1000000))
      result.emplace_back(name(static_cast<part>(i)));
  }
  return result;
}

const char* edge_liveness::name(part which) {
  switch (which) {
  case zmq_pull:
    return "zmq_pull";
  case gateway_session:
    return "gateway_session";
  case zmq_pub:
    return "zmq_pub";
  default:
    return "unknown";
  }
}

int64_t edge_liveness::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace parley
