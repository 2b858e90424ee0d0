#pragma once

#include <cstddef>
#include <memory>

#include <caf/fwd.hpp>
#include <zmq.hpp>

#include "io/gateway_protocol.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Spawns the publisher on a thread of its own. It owns the bound PUB
/// `socket`; being the socket's only user is what makes it safe without locks
/// (ZMQ sockets are not thread-safe). It speaks the result side of the
/// gateway protocol:
/// - each `gateway_translate` from the bridge becomes one request to
///   `router`, with the publisher as its sink;
/// - each router event becomes a protocol event, published at once, one per
///   target language;
/// - ready-made replies from the bridge (`publish`) are sent as they are.
/// A task re-sent while still in flight is not computed again: its pending
/// languages are answered once, when ready, and only languages it does not
/// cover start new work. A subscriber too slow to keep up loses messages
/// past the socket's high-water mark rather than stalling Parley.
publisher_actor spawn_publisher(caf::actor_system& sys,
                                std::shared_ptr<zmq::socket_t> socket,
                                router_actor router, server_identity identity,
                                size_t max_text_chars);

} // namespace parley
