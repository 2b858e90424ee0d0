#pragma once

// A gateway written for tests: PUSH to parleyd's PULL port, SUB to its PUB
// port, JSON events out.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

namespace parley::test {

/// A TCP port nothing listens on right now, never one this process was
/// given before.
uint16_t free_port();

class zmq_client {
public:
  zmq_client(uint16_t pull_port, uint16_t pub_port);

  /// Sends one message: frame 0 and any binary frames after it.
  void send(const std::string& json_frame,
            const std::vector<std::string>& binary = {});
  void send(const nlohmann::json& request,
            const std::vector<std::string>& binary = {});

  /// The next event, or a null JSON value after `timeout`. Its frames, JSON
  /// included, are kept in `last_frames`.
  nlohmann::json
  receive(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Receives until `match` accepts an event; returns it, or null after
  /// `timeout`. Events not matched are kept in `skipped`.
  nlohmann::json
  receive_until(const std::function<bool(const nlohmann::json&)>& match,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Sends pings until a pong arrives: the subscription is live afterwards.
  bool wait_until_subscribed();

  std::vector<nlohmann::json> skipped;
  std::vector<std::string> last_frames;

private:
  zmq::context_t context_;
  zmq::socket_t push_;
  zmq::socket_t sub_;
};

} // namespace parley::test
