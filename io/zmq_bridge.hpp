#pragma once

#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <zmq.hpp>

#include "io/gateway_protocol.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Spawns the bridge on a thread of its own. It owns the bound PULL `socket`:
/// it decodes each message with the gateway protocol and hands the publisher
/// either a translation job or a ready reply (pong, error, an answer needing
/// no model). It never waits on work. It stops on `shutdown` or an exit
/// message.
caf::actor spawn_bridge(caf::actor_system& sys,
                        std::shared_ptr<zmq::socket_t> socket,
                        gateway_config config, server_identity identity,
                        publisher_actor publisher);

} // namespace parley
