#pragma once

// The words of the gateway protocol: request types, event types and the
// reply strings the gateway's client matches on. One place, so that no event
// name is spelled twice.

#include <string_view>

namespace parley {

/// Every request type the gateway sends.
enum class request_type {
  ping,
  translation,
  story_text_object_translation,
  transcription_only,
  audio_process,
  voice_translate,
  voice_translate_async,
  voice_job_status,
  voice_job_cancel,
  voice_analyze,
  voice_compare,
  voice_feedback,
  voice_history,
  voice_stats,
  voice_admin_metrics,
  voice_health,
  voice_languages,
  voice_profile_analyze,
  voice_profile_verify,
  voice_profile_compare,
  /// voice_profile_get/create/update/delete/list: taskId-keyed profile CRUD.
  voice_profile_store,
  /// Any other `voice_*` type carrying a taskId.
  voice_other,
  unknown,
};

/// The request type named `name`.
request_type parse_request_type(std::string_view name);

/// Whether the type is answered by `voice_api_success` / `voice_api_error`.
bool is_voice_api(request_type type);

/// Whether the type is a snake_case voice profile request keyed by
/// `request_id`, answered by `voice_profile_*_result` / `voice_profile_error`.
bool is_voice_profile(request_type type);

namespace event {

constexpr const char* pong = "pong";
constexpr const char* error = "error";
constexpr const char* translation_completed = "translation_completed";
constexpr const char* translation_error = "translation_error";
constexpr const char* translation_skipped = "translation_skipped";
constexpr const char* story_completed =
    "story_text_object_translation_completed";
constexpr const char* transcription_completed = "transcription_completed";
constexpr const char* transcription_ready = "transcription_ready";
constexpr const char* transcription_error = "transcription_error";
constexpr const char* audio_translation_ready = "audio_translation_ready";
constexpr const char* audio_translations_progressive =
    "audio_translations_progressive";
constexpr const char* audio_translations_completed =
    "audio_translations_completed";
constexpr const char* audio_process_completed = "audio_process_completed";
constexpr const char* audio_process_error = "audio_process_error";
constexpr const char* voice_api_success = "voice_api_success";
constexpr const char* voice_api_error = "voice_api_error";
constexpr const char* voice_job_progress = "voice_job_progress";
constexpr const char* voice_translation_completed =
    "voice_translation_completed";
constexpr const char* voice_translation_failed = "voice_translation_failed";
constexpr const char* voice_profile_error = "voice_profile_error";

} // namespace event

namespace reply {

/// The `error` text the gateway's client treats as "retry later"; any other
/// `translation_error` fails the message at once.
constexpr const char* pool_full = "translation pool full";
/// `transcription.source` for a server-side recognizer; the client's type
/// allows only `mobile` and `whisper`, and `model` names the engine.
constexpr const char* source_recognizer = "whisper";
constexpr const char* source_mobile = "mobile";
/// The pong's status.
constexpr const char* alive = "alive";

} // namespace reply

} // namespace parley
