#pragma once

// The events of the gateway's voice API (voice_translate and its jobs).
// Pure code, like gateway_protocol.hpp.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "io/gateway/voice_jobs.hpp"
#include "messages/gateway.hpp"
#include "messages/speech.hpp"

namespace parley {

/// `voice_api_success`: `result` is JSON text.
std::string encode_voice_success(const std::string& task_id,
                                 const std::string& request_type,
                                 const std::string& result,
                                 double processing_ms, double now);

/// `voice_api_error`.
std::string encode_voice_error(const std::string& task_id,
                               const std::string& request_type,
                               const caf::error& reason, double now);

/// `voice_job_progress`: `progress` in percent.
std::string encode_voice_job_progress(const std::string& task_id,
                                      const std::string& job_id,
                                      double progress, const std::string& step,
                                      double now);

/// `voice_translation_completed`, the end of an async job.
std::string encode_voice_translation_completed(const std::string& job_id,
                                               const std::string& user_id,
                                               const std::string& result,
                                               double now);

/// `voice_translation_failed`.
std::string encode_voice_translation_failed(const std::string& job_id,
                                            const std::string& user_id,
                                            const caf::error& reason,
                                            double now);

/// A `VoiceTranslationResult` as JSON text: the transcription, and each
/// language's text and speech, the speech as base64.
std::string voice_translation_result(
    const std::string& translation_id, const transcription& heard,
    const std::vector<audio_translated>& spoken, double processing_ms);

/// A `TranslationJob` as JSON text.
std::string voice_job_json(const voice_job& job);

/// Seconds since the epoch as an ISO 8601 UTC time.
std::string iso_time(double unix_seconds);

} // namespace parley
