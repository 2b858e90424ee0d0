#pragma once

// The gateway session: what it needs and where it runs. Its parts are
// io/gateway/session_text, io/gateway/session_audio, io/gateway/voice_jobs and
// io/voice_queries.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "io/gateway/edge_liveness.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// What the session needs besides the router.
struct session_setup {
  gateway_config config;
  server_identity identity;
  router_actor router;
  /// Receives `zmq_outbound` batches of events: the PUB actor, or a test.
  caf::actor publisher;
  /// Answers `(std::string what)` with JSON text for `voice_languages`
  /// ("languages") and `voice_health` ("health"); may block, so it runs on
  /// a thread of its own (io/gateway/voice_info). Null: those requests fail
  /// with FEATURE_UNAVAILABLE.
  caf::actor voice_info;
  size_t max_text_chars = 0;
  /// Names of the configured models, for `voice_admin_metrics`.
  std::vector<std::string> models;
  std::shared_ptr<edge_liveness> liveness;
};

/// Where the session runs.
enum class session_placement {
  /// A thread of its own, as parleyd runs it: decoding requests and encoding
  /// events is most of the edge's work, and it must not share the
  /// scheduler's threads with the router, the handlers and the cache.
  own_thread,
  /// An event-based actor on the system's scheduler: on CAF's test
  /// coordinator, a test steps it message by message.
  scheduler,
};

/// Spawns the gateway session: the protocol's state, without sockets
/// (Seastar's memcached keeps its codec and its connections apart the same
/// way). It takes inbound messages as `zmq_inbound` (from the PULL actor)
/// or `zmq_frames` (tests, in-process clients), decodes them with the codec,
/// and
/// - turns text jobs into router requests, merging a task the gateway
///   re-sends while it is in flight, gathering story objects into one
///   event, and publishing one event per language as it is ready;
/// - runs audio jobs and voice_translate jobs, loading `audioPath` and
///   base64 audio off the edge, and keeps the state of async voice jobs for
///   `voice_job_status`, `voice_job_cancel` and `voice_job_progress`;
/// - answers voice queries from what Parley knows.
/// Every handler catches what it throws, logs it and goes on: no message
/// can stop the session. Told to exit, it first hands its queued events to
/// the publisher. It reports its end to `liveness`. `placement` says where
/// it runs.
caf::actor spawn_gateway_session(caf::actor_system& sys, session_setup setup,
                                 session_placement placement);

} // namespace parley
