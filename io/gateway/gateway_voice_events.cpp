#include "io/gateway/gateway_voice_events.hpp"

#include <ctime>

#include "io/encoding/base64.hpp"
#include "io/encoding/json_writer.hpp"
#include "io/gateway/gateway_event_writer.hpp"
#include "io/gateway/gateway_names.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

json_writer& raw_or_null(json_writer& out, std::string_view name,
                         const std::string& json) {
  return out.raw_field(name, json.empty() ? std::string_view{"null"} : json);
}

void put_segments(json_writer& out,
                  const std::vector<transcript_segment>& segments) {
  out.key("segments").begin_array();
  for (const auto& segment : segments)
    out.begin_object()
        .field("text", segment.text)
        .field("startMs", segment.start_ms)
        .field("endMs", segment.end_ms)
        .end_object();
  out.end_array();
}

} // namespace

std::string iso_time(double unix_seconds) {
  auto whole = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char text[32];
  auto millis =
      static_cast<int>((unix_seconds - static_cast<double>(whole)) * 1000);
  auto n = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof(text) - n, ".%03dZ", millis);
  return text;
}

std::string encode_voice_success(const std::string& task_id,
                                 const std::string& request_type,
                                 const std::string& result,
                                 double processing_ms, double now) {
  json_writer out;
  out.begin_object().field("type", event::voice_api_success);
  raw_or_null(out, "taskId", task_id)
      .field("requestType", request_type)
      .raw_field("result", result)
      .field("processingTimeMs", processing_ms)
      .field("timestamp", now);
  return out.end_object().take();
}

std::string encode_voice_error(const std::string& task_id,
                               const std::string& request_type,
                               const caf::error& reason, double now) {
  json_writer out;
  out.begin_object().field("type", event::voice_api_error);
  raw_or_null(out, "taskId", task_id).field("requestType", request_type);
  write_error(out, reason).field("timestamp", now);
  return out.end_object().take();
}

std::string encode_voice_job_progress(const std::string& task_id,
                                      const std::string& job_id,
                                      double progress, const std::string& step,
                                      double now) {
  json_writer out;
  out.begin_object().field("type", event::voice_job_progress);
  raw_or_null(out, "taskId", task_id)
      .field("jobId", job_id)
      .field("progress", progress)
      .field("currentStep", step)
      .field("timestamp", now);
  return out.end_object().take();
}

std::string encode_voice_translation_completed(const std::string& job_id,
                                               const std::string& user_id,
                                               const std::string& result,
                                               double now) {
  json_writer out;
  out.begin_object()
      .field("type", event::voice_translation_completed)
      .field("jobId", job_id)
      .field("status", "completed");
  raw_or_null(out, "userId", user_id)
      .field("timestamp", now)
      .raw_field("result", result);
  return out.end_object().take();
}

std::string encode_voice_translation_failed(const std::string& job_id,
                                            const std::string& user_id,
                                            const caf::error& reason,
                                            double now) {
  json_writer out;
  out.begin_object()
      .field("type", event::voice_translation_failed)
      .field("jobId", job_id)
      .field("status", "failed");
  raw_or_null(out, "userId", user_id).field("timestamp", now);
  write_error(out, reason);
  return out.end_object().take();
}

std::string voice_translation_result(
    const std::string& translation_id, const transcription& heard,
    const std::vector<audio_translated>& spoken, double processing_ms) {
  json_writer out;
  out.begin_object().field("translationId", translation_id);
  out.key("originalAudio")
      .begin_object()
      .field("transcription", heard.text)
      .field("language", heard.language)
      .field("durationMs", heard.duration_ms)
      .field("confidence", static_cast<double>(heard.confidence))
      .field("model", heard.model);
  put_segments(out, heard.segments);
  out.end_object();
  out.key("translations").begin_array();
  for (const auto& item : spoken) {
    out.begin_object()
        .field("targetLanguage", item.target_lang)
        .field("translatedText", item.text)
        .field("audioBase64", base64_encode(item.speech.bytes))
        .field("audioMimeType", item.speech.mime_type)
        .field("durationMs", item.speech.duration_ms)
        .field("voiceCloned", false)
        .field("voiceQuality", 0.0);
    put_segments(
        out, {transcript_segment{item.text, 0, item.speech.duration_ms, 0}});
    out.end_object();
  }
  out.end_array();
  out.field("processingTimeMs", processing_ms);
  return out.end_object().take();
}

std::string voice_job_json(const voice_job& job) {
  json_writer out;
  out.begin_object().field("jobId", job.job_id);
  raw_or_null(out, "userId", job.user_id)
      .field("status", to_string(job.status))
      .field("progress", job.progress)
      .field("currentStep", job.current_step)
      .field("createdAt", iso_time(job.created_at));
  if (job.started_at > 0)
    out.field("startedAt", iso_time(job.started_at));
  if (job.completed_at > 0)
    out.field("completedAt", iso_time(job.completed_at));
  if (!job.result.empty())
    out.raw_field("result", job.result);
  if (job.error)
    out.field("error", explanation_of(job.error))
        .field("errorCode", to_string(code_of(job.error)));
  return out.end_object().take();
}

} // namespace parley
