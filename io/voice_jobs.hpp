#pragma once

// The voice API's async jobs (`voice_translate_async`) as
// `voice_job_status` reports them.

#include <string>

#include <caf/error.hpp>

namespace parley {

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

} // namespace parley
