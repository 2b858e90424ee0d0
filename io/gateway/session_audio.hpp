#pragma once

// The audio side of the gateway session: `transcription_only`,
// `audio_process` and `voice_translate[_async]` jobs become router audio
// requests. Audio named by `audioPath` or sent as base64 is loaded off the
// edge first (io/gateway/audio_loader); an audio task the gateway re-sends
// while it is in flight is answered once; events go out as the pipeline reports
// them, and the voice API's jobs hear their steps through io/voice_jobs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/error.hpp>

#include "io/gateway/voice_jobs.hpp"
#include "messages/gateway.hpp"
#include "messages/speech.hpp"

namespace parley {

struct session_context;

/// The audio tasks in flight.
class session_audio {
public:
  session_audio(session_context& context, voice_jobs& jobs)
      : context_(context), jobs_(jobs) {
  }

  /// Starts an audio job; `voice` is set for the voice API's.
  void on_audio(gateway_audio& request, std::optional<voice_side> voice);

  void on_progress(const audio_progress& progress);

  void on_transcribed(audio_transcribed& event);

  void on_spoken(audio_translated& event);

  void on_done(const audio_done& done);

  /// Forgets an audio request: its events are no longer published.
  void drop(uint64_t request_id);

  /// Audio requests in flight.
  size_t active() const {
    return audio_tasks_.size();
  }

private:
  /// One audio request made for a gateway job.
  struct audio_task {
    gateway_audio request;
    std::optional<voice_side> voice;
    transcription heard;
    std::vector<audio_translated> spoken;
  };

  /// Sends the job, its audio loaded, to the router.
  void start(gateway_audio request, std::optional<voice_side> voice);

  /// Answers an audio job that failed before it reached the router.
  void fail(const gateway_audio& request,
            const std::optional<voice_side>& voice, const caf::error& reason);

  audio_task* task_of(uint64_t request_id);

  session_context& context_;
  voice_jobs& jobs_;
  std::unordered_map<uint64_t, audio_task> audio_tasks_;
  /// Task key to its audio request in flight: the gateway re-sends a task
  /// after 30 s without an answer, and long recordings take longer.
  std::unordered_map<std::string, uint64_t> audio_by_task_;
};

} // namespace parley
