#include "io/front_end.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "io/zmq_bridge.hpp"
#include "io/zmq_publisher.hpp"

namespace parley {

namespace {

std::shared_ptr<zmq::socket_t> bind_socket(zmq::context_t& context,
                                           zmq::socket_type type,
                                           const std::string& address,
                                           uint16_t port) {
  auto socket = std::make_shared<zmq::socket_t>(context, type);
  // Closing must never wait for unsent messages.
  socket->set(zmq::sockopt::linger, 0);
  auto endpoint = "tcp://" + address + ":" + std::to_string(port);
  try {
    socket->bind(endpoint);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("cannot bind " + endpoint + ": " + e.what());
  }
  return socket;
}

} // namespace

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0)
    return "unknown";
  return name;
}

front_end::front_end(caf::actor_system& sys, runtime& rt,
                     const gateway_config& config, size_t max_text_chars)
  : sys_(sys),
    identity_{std::string{"parley "} + PARLEY_VERSION, host_name(),
              config.pull_port, config.pub_port, rt.audio_available()},
    context_(1),
    pull_(bind_socket(context_, zmq::socket_type::pull, config.bind,
                      config.pull_port)),
    pub_(bind_socket(context_, zmq::socket_type::pub, config.bind,
                     config.pub_port)),
    http_(sys, rt, identity_) {
  if (config.http_port != 0)
    http_.start(config.bind, config.http_port);
  publisher_ = spawn_publisher(sys, pub_, rt.router(), identity_,
                               max_text_chars);
  rt.add_stats_source(publisher_);
  bridge_ = spawn_bridge(sys, pull_, config, identity_, publisher_);
  spdlog::info("gateway: PULL on {}:{}, PUB on {}:{}, HTTP {}", config.bind,
               config.pull_port, config.bind, config.pub_port,
               config.http_port == 0 ? std::string{"off"}
                                     : "on port "
                                         + std::to_string(config.http_port));
}

front_end::~front_end() {
  stop_intake();
  // The publisher must close its socket before the context terminates.
  caf::scoped_actor self{sys_};
  self->monitor(publisher_);
  self->send_exit(publisher_, caf::exit_reason::user_shutdown);
  self->receive([](const caf::down_msg&) {});
}

void front_end::stop_intake() {
  if (bridge_) {
    caf::scoped_actor self{sys_};
    self->monitor(bridge_);
    self->send(bridge_, shutdown_atom::value);
    self->receive([](const caf::down_msg&) {});
    bridge_ = nullptr;
  }
  http_.stop();
}

} // namespace parley
