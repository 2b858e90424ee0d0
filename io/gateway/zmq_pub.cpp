#include "io/gateway/zmq_pub.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "messages/gateway.hpp"
#include "messages/metrics.hpp"

namespace parley {

namespace {

struct pub_state {
  std::shared_ptr<zmq::socket_t> socket;
  uint64_t sent = 0;
  uint64_t dropped = 0;

  static inline const char* name = "zmq_pub";
};

using pub_pointer = caf::stateful_actor<pub_state>*;

/// Sends one message; false when a subscriber's queue is full, in which
/// case nothing of it was sent (multipart messages go whole or not at all).
bool send_frames(zmq::socket_t& socket, std::vector<std::string>& frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    auto flags = i + 1 < frames.size() ? zmq::send_flags::sndmore
                                       : zmq::send_flags::none;
    // The frame's bytes move into ZMQ without a copy; ZMQ frees them.
    auto* owned = new std::string(std::move(frames[i]));
    zmq::message_t message{
        owned->data(), owned->size(),
        [](void*, void* hint) { delete static_cast<std::string*>(hint); },
        owned};
    if (!socket.send(message, flags | zmq::send_flags::dontwait))
      return false;
  }
  return true;
}

void publish(pub_pointer self, std::vector<std::string>& frames) {
  auto& st = self->state;
  try {
    if (send_frames(*st.socket, frames)) {
      ++st.sent;
      return;
    }
    // Past the high-water mark: said loudly, never silently.
    if (st.dropped++ % 1000 == 0)
      spdlog::warn("zmq pub: a subscriber is {} messages behind; dropped "
                   "{} event(s) so far (raise gateway.pub_hwm?)",
                   st.socket->get(zmq::sockopt::sndhwm), st.dropped);
  } catch (const std::exception& e) {
    ++st.dropped;
    spdlog::warn("zmq pub: send failed: {}", e.what());
  }
}

} // namespace

caf::actor spawn_zmq_pub(caf::actor_system& sys,
                         std::shared_ptr<zmq::socket_t> socket,
                         std::shared_ptr<edge_liveness> liveness) {
  auto init = [=](pub_pointer self) -> caf::behavior {
    self->state.socket = socket;
    // The socket belongs to this thread; close it here, before the context
    // is terminated elsewhere.
    self->attach_functor([socket, liveness] {
      socket->close();
      liveness->stopped(edge_liveness::zmq_pub);
    });
    return {
        [self](publish_atom, zmq_frames& reply) {
          publish(self, reply.frames);
        },
        [self](zmq_outbound& batch) {
          for (auto& frames : batch.messages)
            publish(self, frames);
        },
        [self](stats_atom) {
          metrics result;
          result.values["gateway_events_sent_total"] = self->state.sent;
          result.values["gateway_events_dropped_total"] = self->state.dropped;
          return result;
        },
    };
  };
  return sys.spawn<caf::detached>(init);
}

} // namespace parley
