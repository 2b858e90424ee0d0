#pragma once

// The voice API's jobs in the gateway session: the store of async jobs
// (`voice_translate_async`) that `voice_job_status` and `voice_job_cancel`
// read, their progress events, and the end of every voice_translate,
// synchronous or not, with the counters that end feeds.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/error.hpp>

#include "io/gateway/gateway_protocol.hpp"
#include "messages/speech.hpp"

namespace parley {

struct session_context;

/// Where an async voice job stands.
enum class voice_job_status {
  /// Acknowledged; no step has started.
  pending,
  /// Transcribing, translating or synthesizing.
  processing,
  /// Ended with a result.
  completed,
  /// Ended with an error.
  failed,
  /// Cancelled by the client; nothing more is published for it.
  cancelled,
};

/// The status as the voice API spells it: `pending`, `processing`, ...
const char* to_string(voice_job_status status);

/// One async voice job, as `voice_job_status` reports it.
struct voice_job {
  std::string job_id;
  /// The taskId of the request that started it, as JSON text.
  std::string task_id;
  /// JSON text, empty when absent.
  std::string user_id;
  voice_job_status status = voice_job_status::pending;
  double progress = 0;
  std::string current_step = "queued";
  double created_at = 0;
  double started_at = 0;
  double completed_at = 0;
  /// JSON text of the VoiceTranslationResult once completed.
  std::string result;
  caf::error error;
};

/// The voice API side of an audio job.
struct voice_side {
  gateway_voice request;
  /// Set for `voice_translate_async`.
  std::string job_id;
};

/// What `voice_stats` reports for one user, since the server started.
struct user_counters {
  uint64_t translations = 0;
  double audio_ms = 0;
  double processing_ms = 0;
  std::vector<std::string> languages;
};

/// The async voice jobs and the outcome of every voice translation.
class voice_jobs {
public:
  explicit voice_jobs(session_context& context) : context_(context) {
  }

  /// Opens a job for a `voice_translate_async`, acknowledges it with its id
  /// and status, and returns the id.
  std::string open(const gateway_voice& voice);

  /// Notes the audio request that runs `job_id`, for cancelling it.
  void attach(const std::string& job_id, uint64_t audio_request);

  /// A step of an async job: marks it processing and publishes its progress,
  /// unless it was cancelled.
  void progress(const voice_side& voice, double percent,
                const std::string& step);

  /// The end of a voice_translate job: the answer the client waits for, or
  /// for an async job the status it ends in and its event.
  void finish(const voice_side& voice, const transcription& heard,
              const std::vector<audio_translated>& spoken,
              const caf::error& error);

  /// Answers `voice_job_status`.
  void on_status(const gateway_voice& voice);

  /// Answers `voice_job_cancel`; returns the audio request of the job it
  /// cancelled, which the session must drop, when one was running.
  std::optional<uint64_t> on_cancel(const gateway_voice& voice);

  /// Jobs pending or processing.
  size_t unfinished() const;

  uint64_t completed() const {
    return completed_;
  }

  uint64_t failed() const {
    return failed_;
  }

  /// Time spent on every finished voice translation.
  double processing_ms() const {
    return processing_ms_;
  }

  /// The counters of `user_id`, or null.
  const user_counters* user(const std::string& user_id) const;

private:
  void remember_finished(const std::string& job_id);

  void count_user(const voice_side& voice, const transcription& heard,
                  const std::vector<audio_translated>& spoken,
                  double elapsed_ms);

  session_context& context_;
  /// Async voice jobs by job id, and the order finished ones are dropped in.
  std::unordered_map<std::string, voice_job> jobs_;
  std::vector<std::string> finished_jobs_;
  /// Job id to its audio request, while it runs.
  std::unordered_map<std::string, uint64_t> job_requests_;
  std::map<std::string, user_counters> users_;
  uint64_t next_job_ = 1;
  uint64_t completed_ = 0;
  uint64_t failed_ = 0;
  double processing_ms_ = 0;
};

} // namespace parley
