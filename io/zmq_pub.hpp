#pragma once

#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <zmq.hpp>

#include "io/edge_liveness.hpp"

namespace parley {

/// Spawns the PUB actor on a thread of its own. It owns the bound PUB
/// `socket`; being the socket's only user is what makes it safe without
/// locks (ZMQ sockets are not thread-safe). It only moves bytes: each
/// `(publish_atom, zmq_frames)` is sent as one multipart message. A
/// subscriber too slow to keep up loses messages past the socket's
/// high-water mark rather than stalling Parley. It reports its end to
/// `liveness`.
caf::actor spawn_zmq_pub(caf::actor_system& sys,
                         std::shared_ptr<zmq::socket_t> socket,
                         std::shared_ptr<edge_liveness> liveness);

} // namespace parley
