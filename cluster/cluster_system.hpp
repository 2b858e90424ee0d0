#pragma once

#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/io/middleman_actor.hpp>

#include "messages/fwd.hpp"
#include "server/cluster_config.hpp"

namespace parley {

/// Loads CAF's middleman (and its OpenSSL module when TLS is configured) into
/// `cfg`, with the heartbeat and peer timeout of `cluster`. Call before the
/// actor system starts, on fronts with a cluster port and on workers.
void enable_cluster(caf::actor_system_config& cfg,
                    const cluster_config& cluster);

/// Opens the cluster port for `node` (a front's cluster actor, or a static
/// worker's agent); returns the port bound. Throws `std::runtime_error` when
/// it cannot.
uint16_t open_cluster_port(caf::actor_system& sys, const caf::actor& node,
                           const cluster_config& cluster);

/// The actor that connects to remote nodes: the middleman's, or the OpenSSL
/// module's when TLS is configured.
caf::io::middleman_actor connector(caf::actor_system& sys,
                                   const cluster_config& cluster);

} // namespace parley
