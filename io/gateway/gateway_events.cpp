// The events Parley publishes for translation work, and the parts every
// event shares (see gateway_event_writer.hpp). Ids are kept as the JSON text
// the gateway sent and written back verbatim.

#include <cmath>

#include "io/gateway/gateway_event_writer.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "messages/error_code.hpp"

namespace parley {

void write_ids(json_writer& out, const gateway_ids& ids) {
  auto put = [&](std::string_view name, const std::string& id) {
    if (!id.empty())
      out.raw_field(name, id);
  };
  put("taskId", ids.task_id);
  put("messageId", ids.message_id);
  put("conversationId", ids.conversation_id);
  put("attachmentId", ids.attachment_id);
  put("postId", ids.post_id);
  put("postMediaId", ids.post_media_id);
  put("textObjectIndex", ids.text_object_index);
}

json_writer& begin_event(json_writer& out, std::string_view type,
                         const gateway_ids& ids) {
  out.begin_object().field("type", type);
  write_ids(out, ids);
  return out;
}

namespace {

/// `sourceLanguage`, and for a detected source `detectedLanguage`,
/// `detectionConfidence` and `detectionMethod`.
void put_source(json_writer& out, const gateway_translate& request,
                const translation& result) {
  out.field("sourceLanguage", result.source_lang.empty() ? request.source_lang
                                                         : result.source_lang);
  write_detection(out, result.detection);
}

/// Room for a `translation_completed` event: its fixed text and numbers
/// take under 600 bytes; the rest are its strings, escaped (rarely longer).
size_t completed_size(const gateway_translate& request,
                      const translation& result,
                      const server_identity& identity) {
  const auto& ids = request.ids;
  auto size = size_t{640} + ids.task_id.size() + 2 * ids.message_id.size()
              + ids.conversation_id.size() + ids.attachment_id.size()
              + ids.post_id.size() + ids.post_media_id.size()
              + ids.text_object_index.size() + result.text.size()
              + result.model.size() + 2 * identity.node.size()
              + identity.version.size() + request.model_type.size();
  for (const auto& lang : result.route)
    size += lang.size() + 3;
  return size;
}

} // namespace

json_writer& write_detection(json_writer& out,
                             const language_detection& detection) {
  if (detection.method == detection_method::none)
    return out;
  return out.field("detectedLanguage", detection.language)
      .field("detectionConfidence",
             std::round(detection.confidence * 100.0) / 100.0)
      .field("detectionMethod", to_string(detection.method));
}

json_writer& write_error(json_writer& out, const caf::error& reason) {
  return out.field("error", explanation_of(reason))
      .field("errorCode", to_string(code_of(reason)));
}

std::string encode_refusal(request_type type, const std::string& type_name,
                           const gateway_ids& ids,
                           const std::string& request_id,
                           const std::string& user_id, const caf::error& reason,
                           double now) {
  json_writer out;
  if (is_voice_profile(type)) {
    out.begin_object().field("type", event::voice_profile_error);
    if (!request_id.empty())
      out.raw_field("request_id", request_id);
    if (!user_id.empty())
      out.raw_field("user_id", user_id);
    write_error(out, reason).field("success", false);
  } else if (is_voice_api(type)) {
    begin_event(out, event::voice_api_error, ids)
        .field("requestType", type_name);
    write_error(out, reason);
  } else {
    const char* name = event::error;
    switch (type) {
    case request_type::translation:
      name = event::translation_error;
      break;
    case request_type::transcription_only:
      name = event::transcription_error;
      break;
    case request_type::audio_process:
      name = event::audio_process_error;
      break;
    default:
      // Story objects have no error event on the gateway's side, and
      // nothing waits on them; a plain error is logged there.
      break;
    }
    begin_event(out, name, ids);
    if (!type_name.empty())
      out.field("requestType", type_name);
    write_error(out, reason);
  }
  return out.field("timestamp", now).end_object().take();
}

std::string encode_translation_completed(const gateway_translate& request,
                                         const translation& result,
                                         const server_identity& identity,
                                         double now) {
  json_writer out{completed_size(request, result, identity)};
  begin_event(out, event::translation_completed, request.ids)
      .field("targetLanguage", result.target_lang)
      .field("timestamp", now);
  out.key("result").begin_object();
  out.raw_field("messageId", request.ids.message_id)
      .field("translatedText", result.text);
  put_source(out, request, result);
  out.field("targetLanguage", result.target_lang);
  // No backend yet reports a calibrated score; null rather than a guess.
  out.key("confidenceScore").null();
  out.field("processingTime", now - request.received_at)
      .field("modelType", request.model_type.empty()
                              ? std::string_view{"basic"}
                              : std::string_view{request.model_type})
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
  begin_event(out, event::translation_error, request.ids)
      .field("targetLanguage", target);
  if (code_of(reason) == error_code::overloaded)
    out.field("error", reply::pool_full)
        .field("errorCode", to_string(error_code::overloaded))
        .field("detail", explanation_of(reason));
  else
    write_error(out, reason);
  return out.field("timestamp", now).end_object().take();
}

std::string encode_translation_skipped(const gateway_translate& request,
                                       size_t length, size_t max_length,
                                       double now) {
  json_writer out;
  begin_event(out, event::translation_skipped, request.ids)
      .field("reason", "message_too_long")
      .field("length", static_cast<uint64_t>(length))
      .field("max_length", static_cast<uint64_t>(max_length))
      .field("timestamp", now);
  return out.end_object().take();
}

std::string encode_story_completed(
    const gateway_translate& request,
    const std::vector<std::pair<std::string, std::string>>& translations,
    const std::vector<std::pair<std::string, caf::error>>& failures, double now,
    const translation& sample) {
  json_writer out;
  begin_event(out, event::story_completed, request.ids);
  out.key("translations").begin_object();
  for (const auto& [lang, text] : translations)
    out.field(lang, text);
  out.end_object();
  if (!translations.empty())
    put_source(out, request, sample);
  if (!failures.empty()) {
    out.key("errors").begin_object();
    for (const auto& [lang, reason] : failures) {
      out.key(lang).begin_object();
      write_error(out, reason).end_object();
    }
    out.end_object();
  }
  return out.field("timestamp", now).end_object().take();
}

} // namespace parley
