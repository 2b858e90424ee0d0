#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <caf/timespan.hpp>

namespace parley {

/// `[cluster]`: how a front takes worker nodes and how a worker joins one.
struct cluster_config {
  /// The cluster port: a front's for joining workers, a static worker's for
  /// its front to dial; 0 with `listen` set picks a free one.
  uint16_t port = 0;
  /// Whether the node opens its cluster port (`--cluster-port` or
  /// `[cluster] port`).
  bool listen = false;
  /// Address the cluster port binds; loopback unless configured.
  std::string bind = "127.0.0.1";
  /// Shared secret every worker presents when it joins; empty: none needed.
  std::string token;
  /// This node's name (default: `HOSTNAME:PID` on workers, `front` on the
  /// front).
  std::string node_name;
  /// Worker: the fronts to join, `HOST:PORT`, tried in turn.
  std::vector<std::string> join;
  /// Front: static workers, `HOST:PORT` of their own cluster ports, which
  /// the front dials (and dials again while they are not joined).
  std::vector<std::string> workers;
  /// Heartbeats between nodes, and how long a silent peer is tolerated
  /// before it counts as lost (CAF middleman settings).
  caf::timespan heartbeat = std::chrono::milliseconds(500);
  caf::timespan peer_timeout = std::chrono::milliseconds(2500);
  /// Worker: reconnection backoff after losing or failing to reach a front.
  caf::timespan reconnect_min = std::chrono::milliseconds(100);
  caf::timespan reconnect_max = std::chrono::seconds(5);
  /// TLS through CAF's OpenSSL module: with a certificate and key set, the
  /// cluster port speaks only TLS (plain joins are refused) and workers
  /// connect with TLS; `tls_ca` verifies the peer.
  std::string tls_certificate;
  std::string tls_key;
  std::string tls_ca;

  bool tls() const {
    return !tls_certificate.empty();
  }
};

/// Splits `HOST:PORT`; throws `std::invalid_argument` naming `address`.
inline std::pair<std::string, uint16_t>
split_address(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
    throw std::invalid_argument("'" + address + "' is not HOST:PORT");
  auto host = address.substr(0, colon);
  auto port_text = address.substr(colon + 1);
  size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(port_text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != port_text.size() || port == 0 || port > 65535)
    throw std::invalid_argument("'" + address + "' has no valid port");
  return {host, static_cast<uint16_t>(port)};
}

} // namespace parley
