#pragma once

// The voice API's questions about the server, answered by the gateway
// session: `voice_stats` and `voice_admin_metrics` from its own counters and
// the process's use of CPU and memory (io/gateway/process_usage), and
// `voice_languages` and `voice_health` by asking io/voice_info.

#include <string>

#include "io/gateway/gateway_protocol.hpp"

namespace parley {

struct session_context;
class session_audio;
class voice_jobs;

/// Answers the voice API's queries; reads the jobs and the audio tasks,
/// changes neither.
class voice_queries {
public:
  voice_queries(session_context& context, const voice_jobs& jobs,
                const session_audio& audio)
      : context_(context), jobs_(jobs), audio_(audio) {
  }

  /// Answers `voice_stats`: the counters of the user it names.
  void on_voice_stats(const gateway_voice& voice);

  /// Answers `voice_admin_metrics`: jobs, CPU, memory, models and uptime.
  void on_admin_metrics(const gateway_voice& voice);

  /// Answers `voice_languages` ("languages") or `voice_health` ("health")
  /// with what io/gateway/voice_info says, within 4 s; FEATURE_UNAVAILABLE when
  /// the session has no voice_info.
  void ask_voice_info(const gateway_voice& voice, std::string what);

private:
  session_context& context_;
  const voice_jobs& jobs_;
  const session_audio& audio_;
};

} // namespace parley
