#include "io/gateway/zmq_pull.hpp"

#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/blocking_actor.hpp>
#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include "messages/fwd.hpp"

namespace parley {

namespace {

/// How long the actor waits on its socket before looking at its mailbox.
constexpr auto mailbox_check_interval = std::chrono::milliseconds(50);
/// Messages taken from the socket between two mailbox checks.
constexpr int burst = 512;

/// Takes up to `burst` messages off the socket and sends them as one batch.
void drain_socket(caf::blocking_actor* self, zmq::socket_t& socket,
                  const caf::actor& session) {
  auto batch = std::make_shared<std::vector<std::vector<zmq::message_t>>>();
  for (int i = 0; i < burst; ++i) {
    std::vector<zmq::message_t> parts;
    auto received = zmq::recv_multipart(socket, std::back_inserter(parts),
                                        zmq::recv_flags::dontwait);
    if (!received)
      break;
    batch->push_back(std::move(parts));
  }
  if (!batch->empty())
    self->send(session, zmq_inbound{std::move(batch)});
}

} // namespace

caf::actor spawn_zmq_pull(caf::actor_system& sys,
                          std::shared_ptr<zmq::socket_t> socket,
                          caf::actor session,
                          std::shared_ptr<edge_liveness> liveness) {
  auto run = [=](caf::blocking_actor* self) {
    zmq::pollitem_t items[] = {{socket->handle(), 0, ZMQ_POLLIN, 0}};
    bool running = true;
    while (running) {
      liveness->beat(edge_liveness::zmq_pull);
      // Nothing a peer sends may end this loop: whatever is thrown here is
      // logged, and intake goes on.
      try {
        zmq::poll(items, 1, mailbox_check_interval);
        if (items[0].revents & ZMQ_POLLIN)
          drain_socket(self, *socket, session);
      } catch (const std::exception& e) {
        spdlog::error("zmq pull: {}", e.what());
      }
      self->receive([&](shutdown_atom) { running = false; },
                    [&](caf::exit_msg&) { running = false; },
                    caf::after(std::chrono::seconds(0)) >> [] {});
    }
    // The socket belongs to this thread; close it here, before the context
    // is terminated elsewhere.
    socket->close();
    liveness->stopped(edge_liveness::zmq_pull);
    spdlog::info("zmq pull: stopped");
  };
  return sys.spawn<caf::detached>(run);
}

} // namespace parley
