#pragma once

#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <zmq.hpp>

#include "io/gateway/edge_liveness.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "io/http/http_server.hpp"
#include "server/config_file.hpp"
#include "server/runtime.hpp"

namespace parley {

/// Everything parleyd puts in front of the runtime: the ZMQ PULL and PUB
/// sockets with the actors that move their bytes, the gateway session
/// between them, and HTTP.
class front_end {
public:
  /// Binds every socket and starts serving; throws `std::runtime_error`
  /// naming the address that could not be bound.
  front_end(caf::actor_system& sys, runtime& rt, const server_config& config);

  /// Stops taking requests (see `stop_intake`) and stops every actor.
  ~front_end();

  front_end(const front_end&) = delete;
  front_end& operator=(const front_end&) = delete;

  /// Closes the intake: the PULL actor stops reading and HTTP stops
  /// serving. Results of work already accepted are still published until
  /// the destructor runs.
  void stop_intake();

  const server_identity& identity() const {
    return identity_;
  }

private:
  caf::actor_system& sys_;
  server_identity identity_;
  std::shared_ptr<edge_liveness> liveness_;
  zmq::context_t context_;
  std::shared_ptr<zmq::socket_t> pull_;
  std::shared_ptr<zmq::socket_t> pub_;
  caf::actor publisher_;
  caf::actor voice_info_;
  caf::actor session_;
  caf::actor puller_;
  http_server http_;
};

/// What HTTP serves from, taken from `rt`, with the keys of its APIs.
http_backend http_backend_of(runtime& rt, const server_identity& identity,
                             std::vector<api_key_config> api_keys = {});

/// The name of this host, reported as the processing node.
std::string host_name();

} // namespace parley
