#include "server/front_end.hpp"

#include <algorithm>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "io/gateway/gateway_session.hpp"
#include "io/gateway/voice_info.hpp"
#include "io/gateway/zmq_pub.hpp"
#include "io/gateway/zmq_pull.hpp"

namespace parley {

namespace {

std::shared_ptr<zmq::socket_t> make_socket(zmq::context_t& context,
                                           zmq::socket_type type) {
  auto socket = std::make_shared<zmq::socket_t>(context, type);
  // Closing waits for no unsent message unless told otherwise (PUB).
  socket->set(zmq::sockopt::linger, 0);
  return socket;
}

void bind(zmq::socket_t& socket, const std::string& address, uint16_t port) {
  auto endpoint = "tcp://" + address + ":" + std::to_string(port);
  try {
    socket.bind(endpoint);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("cannot bind " + endpoint + ": " + e.what());
  }
}

std::shared_ptr<zmq::socket_t> bind_pull(zmq::context_t& context,
                                         const gateway_config& config) {
  auto socket = make_socket(context, zmq::socket_type::pull);
  // ZMQ refuses a larger frame before allocating it, and drops the peer
  // that sent it: nothing over the limits is ever read into memory.
  auto largest = std::max(config.max_json_bytes, config.max_audio_bytes);
  socket->set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(largest));
  bind(*socket, config.bind, config.pull_port);
  return socket;
}

std::shared_ptr<zmq::socket_t> bind_pub(zmq::context_t& context,
                                        const gateway_config& config) {
  // XPUB speaks to subscribers exactly as PUB does; with NODROP a full
  // subscriber queue makes the send fail instead of losing the event
  // unnoticed, so the PUB actor can count it.
  auto socket = make_socket(context, zmq::socket_type::xpub);
  socket->set(zmq::sockopt::xpub_nodrop, 1);
  // A fan-out answers a burst of tasks in many languages at once: ZMQ's
  // default of 1,000 queued messages would lose most of it.
  socket->set(zmq::sockopt::sndhwm, static_cast<int>(config.pub_hwm));
  // The last events of a shutdown are delivered, within a bound: the
  // context's termination waits for them up to the linger.
  socket->set(zmq::sockopt::linger,
              static_cast<int>(config.pub_linger.count()));
  bind(*socket, config.bind, config.pub_port);
  return socket;
}

/// Stops `actor` and waits until it is gone.
void stop_and_wait(caf::actor_system& sys, caf::actor& actor) {
  if (!actor)
    return;
  caf::scoped_actor self{sys};
  self->monitor(actor);
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {});
  actor = nullptr;
}

} // namespace

http_backend http_backend_of(runtime& rt, const server_identity& identity,
                             std::vector<api_key_config> api_keys) {
  http_backend backend;
  backend.keys = std::make_shared<api_key_table>(std::move(api_keys));
  backend.identity = identity;
  backend.router = rt.router();
  backend.admin = rt.admin();
  backend.dashboard = rt.dashboard();
  backend.detect = rt.detector();
  backend.max_text_chars = rt.config().max_text_chars;
  backend.synthesizer = rt.synthesizer();
  backend.codec = rt.codec();
  backend.speech_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          rt.config().request_timeout);
  return backend;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0)
    return "unknown";
  return name;
}

front_end::front_end(caf::actor_system& sys, runtime& rt,
                     const server_config& config)
    : sys_(sys), identity_{std::string{"parley "} + PARLEY_VERSION, host_name(),
                           config.gateway.pull_port, config.gateway.pub_port,
                           rt.audio_available()},
      liveness_(std::make_shared<edge_liveness>()), context_(1),
      pull_(bind_pull(context_, config.gateway)),
      pub_(bind_pub(context_, config.gateway)),
      http_(sys, http_backend_of(rt, identity_, config.api_keys), config.http,
            liveness_, config.admin_token) {
  const auto& gateway = config.gateway;
  if (gateway.http_port != 0)
    http_.start(gateway.bind, gateway.http_port);
  publisher_ = spawn_zmq_pub(sys, pub_, liveness_);
  rt.add_stats_source(caf::actor_cast<stats_source>(publisher_));
  voice_info_ = spawn_voice_info(sys, rt.admin(), config.http.status_timeout);
  session_setup setup;
  setup.config = gateway;
  setup.identity = identity_;
  setup.router = rt.router();
  setup.publisher = publisher_;
  setup.voice_info = voice_info_;
  setup.max_text_chars = config.runtime.max_text_chars;
  for (const auto& model : config.runtime.models)
    setup.models.push_back(model.name);
  setup.liveness = liveness_;
  session_ = spawn_gateway_session(sys, std::move(setup),
                                   session_placement::own_thread);
  rt.add_stats_source(caf::actor_cast<stats_source>(session_));
  puller_ = spawn_zmq_pull(sys, pull_, session_, liveness_);
  spdlog::info("gateway: PULL on {}:{}, PUB on {}:{}, HTTP {}", gateway.bind,
               gateway.pull_port, gateway.bind, gateway.pub_port,
               gateway.http_port == 0
                   ? std::string{"off"}
                   : "on port " + std::to_string(gateway.http_port));
}

front_end::~front_end() {
  stop_intake();
  stop_and_wait(sys_, session_);
  stop_and_wait(sys_, voice_info_);
  // The PUB actor must close its socket before the context terminates.
  stop_and_wait(sys_, publisher_);
}

void front_end::stop_intake() {
  if (puller_) {
    caf::scoped_actor self{sys_};
    self->monitor(puller_);
    self->send(puller_, shutdown_atom::value);
    self->receive([](const caf::down_msg&) {});
    puller_ = nullptr;
  }
  http_.stop();
}

} // namespace parley
