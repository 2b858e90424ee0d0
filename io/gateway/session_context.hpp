#pragma once

// What the parts of the gateway session share, inside its one actor: the
// actor itself, its setup, the queue of events to publish, the request ids
// and the counters. Each part (io/gateway/session_text,
// io/gateway/session_audio, io/gateway/voice_jobs, io/gateway/voice_queries)
// owns its own tables; this is the rest.

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "io/gateway/gateway_protocol.hpp"
#include "io/gateway/gateway_session.hpp"
#include "io/gateway/zmq_pub.hpp"

namespace parley {

/// What `/metrics` reports of the session, since it started.
struct session_counters {
  uint64_t tasks = 0;
  uint64_t resent_merged = 0;
  uint64_t events = 0;
  uint64_t refused = 0;
  uint64_t internal_errors = 0;
};

/// The session's actor and what every part of it uses.
struct session_context {
  explicit session_context(caf::event_based_actor* self) : self(self) {
  }

  caf::event_based_actor* const self;
  session_setup setup;
  session_counters counters;
  double started_at = unix_seconds();

  /// The id of the next router request, text or audio.
  uint64_t next_request_id() {
    return next_request_id_++;
  }

  /// Queues an event. The queue goes out when the session has worked
  /// through what is in its mailbox now: a flush message sent to itself
  /// arrives after those, so a burst of requests costs one hand-off to the
  /// PUB thread.
  void publish(std::vector<std::string> frames);
  void publish(std::string event);

  /// Hands the queued events to the publisher.
  void flush();

  /// Answers a voice API request with `result`, JSON text.
  void answer(const gateway_voice& voice, const std::string& result);

  /// Answers a voice API request with an error.
  void refuse(const gateway_voice& voice, const caf::error& reason);

  /// Runs one handler; whatever it throws is logged and counted, never lets
  /// the session die.
  template <class F> void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      ++counters.internal_errors;
      spdlog::error("gateway session: {}: {}", what, e.what());
    } catch (...) {
      ++counters.internal_errors;
      spdlog::error("gateway session: {}: unknown exception", what);
    }
  }

private:
  uint64_t next_request_id_ = 1;
  zmq_outbound outbox_;
  bool flush_pending_ = false;
};

} // namespace parley
