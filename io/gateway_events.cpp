// The events Parley publishes for translation work (see gateway_protocol.hpp).
// Ids are kept as the JSON text the gateway sent and written back verbatim.

#include "io/gateway_protocol.hpp"

#include <cmath>

#include "io/json_writer.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

/// Writes `name: id` when the request carried that id.
void put_id(json_writer& out, std::string_view name, const std::string& id) {
  if (!id.empty())
    out.raw_field(name, id);
}

/// `sourceLanguage`, and for a detected source `detectedLanguage`,
/// `detectionConfidence` and `detectionMethod`.
void put_source(json_writer& out, const gateway_translate& request,
                const translation& result) {
  out.field("sourceLanguage", result.source_lang.empty() ? request.source_lang
                                                        : result.source_lang);
  if (result.detection.method == detection_method::none)
    return;
  out.field("detectedLanguage", result.detection.language)
    .field("detectionConfidence",
           std::round(result.detection.confidence * 100.0) / 100.0)
    .field("detectionMethod", to_string(result.detection.method));
}

json_writer& begin_event(json_writer& out, const char* type,
                         const gateway_translate& request) {
  out.begin_object().field("type", type);
  put_id(out, "taskId", request.ids.task_id);
  put_id(out, "messageId", request.ids.message_id);
  put_id(out, "conversationId", request.ids.conversation_id);
  return out;
}

} // namespace

std::string encode_translation_completed(const gateway_translate& request,
                                         const translation& result,
                                         const server_identity& identity,
                                         double now) {
  json_writer out;
  out.begin_object().field("type", "translation_completed");
  put_id(out, "taskId", request.ids.task_id);
  out.field("targetLanguage", result.target_lang).field("timestamp", now);
  out.key("result").begin_object();
  out.raw_field("messageId", request.ids.message_id)
    .field("translatedText", result.text);
  put_source(out, request, result);
  out.field("targetLanguage", result.target_lang);
  // No backend yet reports a calibrated score; null rather than a guess.
  out.key("confidenceScore").null();
  out.field("processingTime", now - request.received_at)
    .field("modelType",
           request.model_type.empty() ? std::string{"basic"}
                                      : request.model_type)
    .field("translatorModel", result.model)
    .field("workerName", identity.node)
    .field("poolType", "interactive")
    .field("translationTime", result.inference_us / 1e6)
    .field("queueTime", result.queue_us / 1e6)
    .field("fromCache", result.from_cache);
  out.key("route").begin_array();
  for (const auto& lang : result.route)
    out.string(lang);
  out.end_array().end_object();
  out.key("metadata")
    .begin_object()
    .field("translatorVersion", identity.version)
    .field("processingNode", identity.node)
    .field("protocol", "zmq")
    .end_object();
  return out.end_object().take();
}

std::string encode_translation_error(const gateway_translate& request,
                                     const std::string& target,
                                     const caf::error& reason, double now) {
  json_writer out;
  begin_event(out, "translation_error", request)
    .field("targetLanguage", target)
    .field("error", explanation_of(reason))
    .field("errorCode", to_string(code_of(reason)))
    .field("timestamp", now);
  return out.end_object().take();
}

std::string encode_translation_skipped(const gateway_translate& request,
                                       size_t length, size_t max_length,
                                       double now) {
  json_writer out;
  begin_event(out, "translation_skipped", request)
    .field("reason", "message_too_long")
    .field("length", static_cast<uint64_t>(length))
    .field("max_length", static_cast<uint64_t>(max_length))
    .field("timestamp", now);
  return out.end_object().take();
}

std::string encode_story_completed(
  const gateway_translate& request,
  const std::vector<std::pair<std::string, std::string>>& translations,
  double now, const translation& sample) {
  json_writer out;
  out.begin_object().field("type", "story_text_object_translation_completed");
  put_id(out, "postId", request.ids.post_id);
  put_id(out, "textObjectIndex", request.ids.text_object_index);
  put_id(out, "taskId", request.ids.task_id);
  out.key("translations").begin_object();
  for (const auto& [lang, text] : translations)
    out.field(lang, text);
  out.end_object();
  if (!translations.empty())
    put_source(out, request, sample);
  out.field("timestamp", now);
  return out.end_object().take();
}

} // namespace parley
