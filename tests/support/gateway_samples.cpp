#include "tests/support/gateway_samples.hpp"

namespace parley::test {

using nlohmann::json;

namespace {

const json mobile_transcription = {
  {"text", "hola"},
  {"language", "es"},
  {"confidence", 0.9},
  {"source", "mobile"},
  {"segments", {{{"text", "hola"}, {"startMs", 0}, {"endMs", 400}}}},
};

} // namespace

std::vector<gateway_sample> gateway_samples() {
  return {
    {{{"type", "translation"}, {"taskId", "t-1"}, {"messageId", "m-1"},
      {"text", "Hello"}, {"sourceLanguage", "en"},
      {"targetLanguages", {"es", "fr"}}, {"conversationId", "c-1"},
      {"modelType", "basic"}, {"timestamp", 1700000000000}},
     {}, "translation_error", "taskId"},
    {{{"type", "story_text_object_translation"}, {"postId", "p-1"},
      {"textObjectIndex", 0}, {"text", "Hello"}, {"sourceLanguage", "en"},
      {"targetLanguages", {"es"}}, {"timestamp", 1700000000000}},
     {}, "error", "postId"},
    {{{"type", "transcription_only"}, {"taskId", "t-2"}, {"messageId", "m-2"},
      {"attachmentId", "a-2"}, {"audioFormat", "wav"},
      {"mobileTranscription", mobile_transcription},
      {"binaryFrames",
       {{"audio", 1}, {"audioMimeType", "audio/wav"}, {"audioSize", 4}}}},
     {"RIFF"}, "transcription_error", "taskId"},
    {{{"type", "audio_process"}, {"messageId", "m-3"}, {"attachmentId", "a-3"},
      {"conversationId", "c-3"}, {"senderId", "u-3"}, {"audioUrl", ""},
      {"audioMimeType", "audio/ogg"},
      {"binaryFrames",
       {{"audio", 1}, {"audioMimeType", "audio/ogg"}, {"audioSize", 4},
        {"voiceProfile", 2}, {"voiceProfileSize", 3}}},
      {"audioDurationMs", 1200}, {"mobileTranscription", mobile_transcription},
      {"targetLanguages", {"en", "fr"}}, {"userLanguage", "es"},
      {"generateVoiceClone", true}, {"modelType", "medium"},
      {"originalSenderId", "u-3"},
      {"existingVoiceProfile",
       {{"profileId", "vp"}, {"userId", "u-3"}, {"qualityScore", 0.8}}},
      {"useOriginalVoice", true}, {"voiceCloneParams", json::object()},
      {"postId", "p-3"}, {"postMediaId", "pm-3"}},
     {"OggS", "emb"}, "audio_process_error", "messageId"},
    {{{"type", "voice_translate"}, {"taskId", "v-1"}, {"userId", "u"},
      {"audioBase64", "UklGRg=="}, {"targetLanguages", {"es"}},
      {"sourceLanguage", "en"}, {"generateVoiceClone", true},
      {"mobileTranscription", mobile_transcription}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_translate_async"}, {"taskId", "v-2"}, {"userId", "u"},
      {"audioBase64", "UklGRg=="}, {"targetLanguages", {"es"}},
      {"sourceLanguage", "en"}, {"generateVoiceClone", false},
      {"webhookUrl", "https://example.org/hook"}, {"priority", 1},
      {"callbackMetadata", {{"k", "v"}}}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_job_status"}, {"taskId", "v-3"}, {"userId", "u"},
      {"jobId", "j-1"}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_job_cancel"}, {"taskId", "v-4"}, {"userId", "u"},
      {"jobId", "j-1"}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_analyze"}, {"taskId", "v-5"}, {"userId", "u"},
      {"audioBase64", "UklGRg=="}, {"analysisTypes", {"pitch", "mfcc"}}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_compare"}, {"taskId", "v-6"}, {"userId", "u"},
      {"audioBase64_1", "UklGRg=="}, {"audioBase64_2", "UklGRg=="}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_feedback"}, {"taskId", "v-7"}, {"userId", "u"},
      {"translationId", "tr-1"}, {"rating", 4}, {"feedbackType", "quality"},
      {"comment", "good"}, {"metadata", json::object()}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_history"}, {"taskId", "v-8"}, {"userId", "u"},
      {"limit", 20}, {"offset", 0}, {"startDate", "2026-01-01"},
      {"endDate", "2026-02-01"}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_stats"}, {"taskId", "v-9"}, {"userId", "u"},
      {"period", "all"}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_admin_metrics"}, {"taskId", "v-10"}, {"userId", "u"}},
     {}, "voice_api_error", "taskId"},
    {{{"type", "voice_health"}, {"taskId", "v-11"}}, {}, "voice_api_error",
     "taskId"},
    {{{"type", "voice_languages"}, {"taskId", "v-12"}}, {}, "voice_api_error",
     "taskId"},
    {{{"type", "voice_profile_analyze"}, {"request_id", "r-1"},
      {"user_id", "u"}, {"audio_data", "UklGRg=="}, {"audio_format", "wav"},
      {"is_update", false}, {"existing_fingerprint", json::object()},
      {"include_transcription", true}, {"generate_previews", false},
      {"preview_languages", {"es"}}, {"preview_text", "hi"}},
     {}, "voice_profile_error", "request_id"},
    {{{"type", "voice_profile_verify"}, {"request_id", "r-2"},
      {"user_id", "u"}, {"audio_data", "UklGRg=="}, {"audio_format", "wav"},
      {"existing_fingerprint", json::object()}},
     {}, "voice_profile_error", "request_id"},
    {{{"type", "voice_profile_compare"}, {"request_id", "r-3"},
      {"fingerprint_a", json::object()}, {"fingerprint_b", json::object()}},
     {}, "voice_profile_error", "request_id"},
  };
}

json wrong_type_for(const json& value) {
  if (value.is_string())
    return json::array({1});
  if (value.is_boolean())
    return "yes";
  if (value.is_number())
    return "five";
  if (value.is_array())
    return json::object({{"not", "a list"}});
  return 5;
}

} // namespace parley::test
