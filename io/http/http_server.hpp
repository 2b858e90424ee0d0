#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/fwd.hpp>

#include "io/gateway/edge_liveness.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "io/http/http_backend.hpp"
#include "io/http/http_guard.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Parley's HTTP front end (cpp-httplib), on threads of its own:
/// - `GET /health`, `/live`, `/ready` (503 until every model is loaded);
/// - `GET /metrics` (Prometheus text), `GET /stats` (JSON);
/// - `POST /translate {text, source_language, target_language, model_type}`;
/// - `POST /detect` (and `/detect-language`) `{text, hints}`;
/// - `GET /languages`;
/// - `GET /cluster`: nodes, replicas per model and node, queues, in flight;
/// - `GET /models`, `POST` and `DELETE /models/{name}`: the admin API;
/// - `GET /dashboard` and `/dashboard/summary` (io/http/http_dashboard.hpp);
/// - LibreTranslate's API at the root, DeepL's under `/v2` and OpenAI's
///   audio API under `/v1`.
/// Requests go through the same router, handlers and cache as ZMQ ones.
///
/// It sees the server only through actor handles: each request waits for
/// one reply, which the actor asked delivers by its own deadline.
class http_server {
public:
  /// `liveness`, when set, makes `/health` and `/ready` fail naming a part
  /// of the gateway edge that stopped.
  /// `admin_token` guards `/models` (see io/http/http_models.hpp) and the
  /// dashboard's summary.
  http_server(caf::actor_system& sys, http_backend backend, http_limits limits,
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

  /// The server's status, or one with no model when the admin actor is
  /// gone.
  server_status status();
  metrics current_metrics();

  caf::actor_system& sys_;
  http_backend backend_;
  std::shared_ptr<const edge_liveness> liveness_;
  std::chrono::milliseconds status_timeout_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<guarded_http_server> server_;
  std::thread thread_;
};

} // namespace parley
