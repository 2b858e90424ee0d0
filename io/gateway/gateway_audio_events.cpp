#include "io/gateway/gateway_audio_events.hpp"

#include "io/gateway/gateway_event_writer.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

double elapsed_ms(const gateway_audio& request, double now) {
  return (now - request.received_at) * 1000;
}

void put_transcription(json_writer& out, const transcription& heard) {
  auto mobile = heard.model == "mobile";
  out.key("transcription").begin_object();
  out.field("text", heard.text)
      .field("language", heard.language)
      .field("confidence", static_cast<double>(heard.confidence))
      .field("durationMs", heard.duration_ms)
      .field("source", mobile ? reply::source_mobile : reply::source_recognizer)
      .field("model", heard.model)
      .field("fromCache", heard.from_cache);
  write_detection(out, heard.detection);
  // Optional segment fields are left out, never null: the gateway's
  // validator refuses nulls.
  out.key("segments").begin_array();
  for (const auto& segment : heard.segments) {
    out.begin_object()
        .field("text", segment.text)
        .field("startMs", segment.start_ms)
        .field("endMs", segment.end_ms);
    if (!mobile)
      out.field("confidence", static_cast<double>(segment.confidence));
    out.end_object();
  }
  out.end_array().end_object();
}

/// The fields of one spoken translation, as the client reads them in
/// `translatedAudio` and in each `translatedAudios[]` item.
void put_translated_audio_fields(json_writer& out, const gateway_audio& request,
                                 const audio_translated& spoken) {
  out.field("targetLanguage", spoken.target_lang)
      .field("translatedText", spoken.text)
      .field("audioMimeType", spoken.speech.mime_type)
      .field("durationMs", spoken.speech.duration_ms)
      .field("voiceCloned", false)
      // The audio travels as a frame; Parley keeps no file or URL.
      .field("audioUrl", "")
      .field("audioPath", "")
      // A synthetic voice has no similarity to the speaker's to report.
      .field("voiceQuality", 0.0)
      .field("fromCache", spoken.from_cache);
  // The synthesizer reports no word timings: one segment spans the speech.
  out.key("segments").begin_array();
  if (!spoken.text.empty())
    out.begin_object()
        .field("text", spoken.text)
        .field("startMs", 0)
        .field("endMs", spoken.speech.duration_ms)
        .end_object();
  out.end_array();
  if (request.voice_clone)
    out.field("voiceCloneUnavailable",
              "voice cloning is not available; the voice is synthetic");
}

std::string encode_transcription(const char* type, const gateway_audio& request,
                                 const transcription& heard, double now) {
  json_writer out;
  begin_event(out, type, request.ids);
  put_transcription(out, heard);
  out.field("processingTimeMs", elapsed_ms(request, now))
      .field("timestamp", now);
  return out.end_object().take();
}

} // namespace

std::string encode_transcription_completed(const gateway_audio& request,
                                           const transcription& heard,
                                           double now) {
  return encode_transcription(event::transcription_completed, request, heard,
                              now);
}

std::string encode_transcription_ready(const gateway_audio& request,
                                       const transcription& heard, double now) {
  return encode_transcription(event::transcription_ready, request, heard, now);
}

std::string encode_audio_error(const gateway_audio& request,
                               const caf::error& reason, double now) {
  json_writer out;
  begin_event(out,
              request.type == "transcription_only" ? event::transcription_error
                                                   : event::audio_process_error,
              request.ids);
  auto code = code_of(reason);
  // The protocol names this one in lower case.
  out.field("error", explanation_of(reason))
      .field("errorCode", code == error_code::translation_failed
                                  && request.type == "audio_process"
                              ? std::string{"translation_failed"}
                              : to_string(code));
  return out.field("timestamp", now).end_object().take();
}

std::vector<std::string>
encode_audio_translation(const gateway_audio& request,
                         const audio_translated& spoken, double now) {
  const char* type = spoken.total == 1 ? event::audio_translation_ready
                     : spoken.remaining == 0
                         ? event::audio_translations_completed
                         : event::audio_translations_progressive;
  json_writer out;
  begin_event(out, type, request.ids).field("language", spoken.target_lang);
  out.key("translatedAudio").begin_object();
  put_translated_audio_fields(out, request, spoken);
  out.end_object();
  out.key("binaryFrames")
      .begin_object()
      .key("audio")
      .begin_object()
      .field("index", 1)
      .field("size", static_cast<uint64_t>(spoken.speech.bytes.size()))
      .field("mimeType", spoken.speech.mime_type)
      .end_object()
      .end_object();
  out.field("timestamp", now);
  return {out.end_object().take(), spoken.speech.bytes};
}

std::vector<std::string>
encode_audio_completed(const gateway_audio& request, const transcription& heard,
                       const std::vector<audio_translated>& spoken,
                       double now) {
  json_writer out;
  begin_event(out, event::audio_process_completed, request.ids);
  put_transcription(out, heard);
  out.key("translatedAudios").begin_array();
  for (const auto& item : spoken) {
    out.begin_object();
    put_translated_audio_fields(out, request, item);
    out.end_object();
  }
  out.end_array();
  // No voice model is trained: the voice is synthetic.
  out.field("voiceModelUserId", "").field("voiceModelQuality", 0.0);
  out.field("processingTimeMs", elapsed_ms(request, now))
      .field("timestamp", now);
  std::vector<std::string> frames{std::string{}};
  out.key("binaryFrames").begin_object();
  for (const auto& item : spoken) {
    out.key("audio_" + item.target_lang)
        .begin_object()
        .field("index", static_cast<uint64_t>(frames.size()))
        .field("size", static_cast<uint64_t>(item.speech.bytes.size()))
        .field("mimeType", item.speech.mime_type)
        .end_object();
    frames.push_back(item.speech.bytes);
  }
  out.end_object();
  frames[0] = out.end_object().take();
  return frames;
}

} // namespace parley
