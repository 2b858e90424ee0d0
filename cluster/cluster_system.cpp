#include "cluster/cluster_system.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>

#include "messages/cluster.hpp"
#include "messages/metrics.hpp"

namespace parley {

void enable_cluster(caf::actor_system_config& cfg,
                    const cluster_config& cluster) {
  cfg.load<caf::io::middleman>();
  cfg.set("middleman.heartbeat-interval", cluster.heartbeat);
  cfg.set("middleman.connection-timeout", cluster.peer_timeout);
  if (!cluster.tls())
    return;
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = cluster.tls_certificate;
  cfg.openssl_key = cluster.tls_key;
  cfg.openssl_cafile = cluster.tls_ca;
}

uint16_t open_cluster_port(caf::actor_system& sys, const caf::actor& node,
                           const cluster_config& cluster) {
  auto bound = cluster.tls()
                   ? caf::openssl::publish(node, cluster.port,
                                           cluster.bind.c_str(), true)
                   : sys.middleman().publish(node, cluster.port,
                                             cluster.bind.c_str(), true);
  if (!bound)
    throw std::runtime_error("cannot open the cluster port " + cluster.bind
                             + ":" + std::to_string(cluster.port) + ": "
                             + sys.render(bound.error()));
  return *bound;
}

caf::io::middleman_actor connector(caf::actor_system& sys,
                                   const cluster_config& cluster) {
  if (cluster.tls())
    return sys.openssl_manager().actor_handle();
  return sys.middleman().actor_handle();
}

} // namespace parley
