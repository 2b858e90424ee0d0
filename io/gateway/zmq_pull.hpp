#pragma once

#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <zmq.hpp>

#include "io/gateway/edge_liveness.hpp"

namespace parley {

/// Messages off the PULL socket, each its frames as ZMQ delivered them:
/// nothing is copied between the socket and the codec. Every message
/// waiting on the socket travels in one batch, so a busy gateway costs one
/// hand-off between threads per batch, not per request. Shared, because CAF
/// messages are copyable; only one actor ever reads it.
struct zmq_inbound {
  std::shared_ptr<std::vector<std::vector<zmq::message_t>>> messages;
};

/// Spawns the PULL actor on a thread of its own. It owns the bound PULL
/// `socket` and only moves bytes: each message goes to `session` as a
/// `zmq_inbound`, undecoded. It beats `liveness` on every turn, catches
/// anything thrown at its boundary, logs it and goes on, and stops on
/// `shutdown` or an exit message.
caf::actor spawn_zmq_pull(caf::actor_system& sys,
                          std::shared_ptr<zmq::socket_t> socket,
                          caf::actor session,
                          std::shared_ptr<edge_liveness> liveness);

} // namespace parley

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(parley::zmq_inbound)
