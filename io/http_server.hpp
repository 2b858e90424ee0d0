#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/fwd.hpp>

#include "io/edge_liveness.hpp"
#include "io/gateway_protocol.hpp"
#include "io/http_guard.hpp"
#include "server/runtime.hpp"

namespace parley {

/// Parley's HTTP front end (cpp-httplib), on threads of its own:
/// - `GET /health`, `/live`, `/ready` (503 until every model is loaded);
/// - `GET /metrics` (Prometheus text), `GET /stats` (JSON);
/// - `POST /translate {text, source_language, target_language, model_type}`;
/// - `POST /detect` (and `/detect-language`) `{text, hints}`;
/// - `GET /languages`;
/// - `GET /cluster`: nodes, replicas per model and node, queues, in flight;
/// - `GET /models`, `POST` and `DELETE /models/{name}`: the admin API.
/// Requests go through the same router, handlers and cache as ZMQ ones.
class http_server {
public:
  /// `liveness`, when set, makes `/health` and `/ready` fail naming a part
  /// of the gateway edge that stopped.
  /// `admin_token` guards `/models` (see io/http_models.hpp).
  http_server(caf::actor_system& sys, runtime& rt, server_identity identity,
              http_limits limits,
              std::shared_ptr<const edge_liveness> liveness = nullptr,
              std::string admin_token = {});
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds `address:port` and starts serving; throws `std::runtime_error`
  /// when the port cannot be bound.
  void start(const std::string& address, uint16_t port);

  /// Stops serving and joins the threads. Safe to call twice.
  void stop();

private:
  void install_routes();
  std::vector<std::string> failing_parts() const;

  caf::actor_system& sys_;
  runtime& rt_;
  server_identity identity_;
  std::shared_ptr<const edge_liveness> liveness_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<guarded_http_server> server_;
  std::thread thread_;
};

} // namespace parley
