#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <zmq.hpp>

#include "io/gateway/edge_liveness.hpp"

namespace parley {

/// Events to publish, each the frames of one message, in order. The session
/// gathers the events it makes while working through its mailbox and sends
/// them together.
struct zmq_outbound {
  std::vector<std::vector<std::string>> messages;
};

/// Spawns the PUB actor on a thread of its own. It owns the bound `socket`
/// (XPUB with `ZMQ_XPUB_NODROP`, see server/front_end.cpp); being the socket's
/// only user is what makes it safe without locks (ZMQ sockets are not
/// thread-safe). It only moves bytes: each message of a `zmq_outbound`, and
/// each `(publish_atom, zmq_frames)`, is sent as one multipart message. A
/// subscriber so slow that it falls `gateway.pub_hwm` messages behind loses
/// what comes past that rather than stalling Parley; every such loss is
/// counted (`gateway_events_dropped_total`, answered to `stats_atom`) and
/// logged. It reports its end to `liveness`.
caf::actor spawn_zmq_pub(caf::actor_system& sys,
                         std::shared_ptr<zmq::socket_t> socket,
                         std::shared_ptr<edge_liveness> liveness);

} // namespace parley

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(parley::zmq_outbound)
