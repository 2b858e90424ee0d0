#include "io/zmq_pub.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "messages/gateway.hpp"

namespace parley {

namespace {

void send_frames(zmq::socket_t& socket, std::vector<std::string>& frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    auto flags = i + 1 < frames.size() ? zmq::send_flags::sndmore
                                       : zmq::send_flags::none;
    // The frame's bytes move into ZMQ without a copy; ZMQ frees them.
    auto* owned = new std::string(std::move(frames[i]));
    zmq::message_t message{owned->data(), owned->size(),
                           [](void*, void* hint) {
                             delete static_cast<std::string*>(hint);
                           },
                           owned};
    socket.send(message, flags | zmq::send_flags::dontwait);
  }
}

} // namespace

caf::actor spawn_zmq_pub(caf::actor_system& sys,
                         std::shared_ptr<zmq::socket_t> socket,
                         std::shared_ptr<edge_liveness> liveness) {
  auto init = [=](caf::event_based_actor* self) -> caf::behavior {
    // The socket belongs to this thread; close it here, before the context
    // is terminated elsewhere.
    self->attach_functor([socket, liveness] {
      socket->close();
      liveness->stopped(edge_liveness::zmq_pub);
    });
    auto send = [socket](std::vector<std::string>& frames) {
      try {
        send_frames(*socket, frames);
      } catch (const std::exception& e) {
        spdlog::warn("zmq pub: send failed: {}", e.what());
      }
    };
    return {
      [send](publish_atom, zmq_frames& reply) { send(reply.frames); },
      [send](zmq_outbound& batch) {
        for (auto& frames : batch.messages)
          send(frames);
      },
    };
  };
  return sys.spawn<caf::detached>(init);
}

} // namespace parley
