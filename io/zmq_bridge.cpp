#include "io/zmq_bridge.hpp"

#include <chrono>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include "messages/gateway.hpp"

namespace parley {

namespace {

/// How long the bridge waits on its socket before looking at its mailbox.
constexpr auto mailbox_check_interval = std::chrono::milliseconds(50);
/// Messages taken from the socket between two mailbox checks.
constexpr int burst = 512;

void forward(caf::blocking_actor* self, std::vector<std::string>& frames,
             const gateway_config& config, const server_identity& identity,
             const publisher_actor& publisher) {
  auto decoded = decode_request(frames, config, identity, unix_seconds());
  if (decoded.translate)
    self->send(publisher, std::move(*decoded.translate));
  else if (decoded.audio)
    self->send(publisher, std::move(*decoded.audio));
  else
    self->send(publisher, publish_atom::value,
               zmq_frames{{std::move(decoded.reply)}});
}

} // namespace

caf::actor spawn_bridge(caf::actor_system& sys,
                        std::shared_ptr<zmq::socket_t> socket,
                        gateway_config config, server_identity identity,
                        publisher_actor publisher) {
  auto run = [=](caf::blocking_actor* self) {
    zmq::pollitem_t items[] = {{socket->handle(), 0, ZMQ_POLLIN, 0}};
    std::vector<zmq::message_t> parts;
    std::vector<std::string> frames;
    bool running = true;
    while (running) {
      zmq::poll(items, 1, mailbox_check_interval);
      for (int i = 0; i < burst && (items[0].revents & ZMQ_POLLIN); ++i) {
        parts.clear();
        auto received = zmq::recv_multipart(*socket, std::back_inserter(parts),
                                            zmq::recv_flags::dontwait);
        if (!received)
          break;
        frames.clear();
        for (auto& part : parts)
          frames.emplace_back(part.data<char>(), part.size());
        forward(self, frames, config, identity, publisher);
      }
      self->receive(
        [&](shutdown_atom) { running = false; },
        [&](caf::exit_msg& msg) { running = false; },
        caf::after(std::chrono::seconds(0)) >> [] {});
    }
    // The socket belongs to this thread; close it here, before the context
    // is terminated elsewhere.
    socket->close();
    spdlog::info("zmq bridge: stopped");
  };
  return sys.spawn<caf::detached>(run);
}

} // namespace parley
