#pragma once

// A load generator for any server speaking the gateway protocol: its own
// PUSH and SUB sockets, a fixed number of units in flight, each unit one or
// more translation tasks timed from send to the last of their answers. The
// ZMQ side of `parley bench zmq` and `parley bench http`.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include <zmq.hpp>

#include "tools/bench_stats.hpp"

namespace parley {

struct zmq_load_options {
  std::string host = "127.0.0.1";
  uint16_t pull_port = 0;
  uint16_t pub_port = 0;
  /// Units in flight.
  size_t concurrency = 64;
  /// Target languages per task, the first of es, fr, ca, pt.
  size_t languages = 1;
  /// Tasks per unit: a unit is done when all of them are.
  size_t group = 1;
};

/// The languages a task goes to, in order.
extern const std::vector<std::string> bench_languages;

class zmq_load {
public:
  explicit zmq_load(const zmq_load_options& options);

  /// Pings until a pong arrives, so no answer is lost to a late subscription.
  bool connect();

  /// Sends `count` units, `concurrency` at a time; task i of the round
  /// translates `text_of(i)` (no quotes or backslashes) from English.
  /// Returns each unit's latency.
  round_result run(size_t count,
                   const std::function<std::string(size_t)>& text_of);

private:
  struct unit_state {
    std::chrono::steady_clock::time_point sent;
    size_t open = 0;
  };

  void send_unit(size_t unit,
                 const std::function<std::string(size_t)>& text_of);
  size_t receive_available(round_result& result);
  void drain(std::chrono::milliseconds quiet);

  zmq_load_options options_;
  zmq::context_t context_;
  zmq::socket_t push_;
  zmq::socket_t sub_;
  std::string targets_json_;
  /// Open units by number, and the unit of each open task id.
  std::unordered_map<size_t, unit_state> units_;
  std::unordered_map<std::string, size_t> unit_of_;
  size_t next_task_ = 0;
  /// Unique per generator: the gateway answers a task id it has seen again
  /// from its record, so two generators on one server must not share ids.
  std::string id_prefix_;
};

} // namespace parley
