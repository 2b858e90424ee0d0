#include "io/gateway/session_context.hpp"

#include <utility>

#include <caf/atom.hpp>

#include "io/gateway/gateway_voice_events.hpp"

namespace parley {

void session_context::publish(std::vector<std::string> frames) {
  ++counters.events;
  outbox_.messages.push_back(std::move(frames));
  if (!flush_pending_) {
    flush_pending_ = true;
    self->send(self, caf::flush_atom::value);
  }
}

void session_context::publish(std::string event) {
  publish(std::vector<std::string>{std::move(event)});
}

void session_context::flush() {
  flush_pending_ = false;
  if (!outbox_.messages.empty())
    self->send(setup.publisher, std::exchange(outbox_, zmq_outbound{}));
}

void session_context::answer(const gateway_voice& voice,
                             const std::string& result) {
  publish(encode_voice_success(voice.task_id, voice.type_name, result,
                               (unix_seconds() - voice.received_at) * 1000,
                               unix_seconds()));
}

void session_context::refuse(const gateway_voice& voice,
                             const caf::error& reason) {
  publish(encode_voice_error(voice.task_id, voice.type_name, reason,
                             unix_seconds()));
}

} // namespace parley
