#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace parley {

/// Whether the threads of the gateway edge still run. The PULL thread beats
/// on every turn of its loop (at least every 50 ms); the session and the PUB
/// actor report when they end. `/health` and `/ready` read it and name the
/// part that stopped.
class edge_liveness {
public:
  enum part : size_t { zmq_pull, gateway_session, zmq_pub, part_count };

  edge_liveness();

  /// The part is running; `zmq_pull` calls it on every turn.
  void beat(part which);

  /// The part has ended; it stays stopped.
  void stopped(part which);

  /// The parts that stopped, or whose last beat is older than `stale`.
  std::vector<std::string>
  failing(std::chrono::milliseconds stale = std::chrono::seconds(2)) const;

  static const char* name(part which);

private:
  static int64_t now_ns();

  std::array<std::atomic<int64_t>, part_count> last_beat_ns_;
  std::array<std::atomic<bool>, part_count> stopped_;
  /// Parts that beat: only those can go stale.
  std::array<bool, part_count> beats_{};
};

} // namespace parley
