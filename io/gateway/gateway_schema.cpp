#include "io/gateway/gateway_schema.hpp"

#include <vector>

#include <nlohmann/json.hpp>

namespace parley {

namespace {

using nlohmann::json;

enum class kind {
  /// A string or a number: ids are echoed as the gateway sent them.
  id,
  string,
  number,
  integer,
  boolean,
  object,
  string_list,
  /// `binaryFrames`: frame indexes and sizes.
  frames,
  /// `mobileTranscription`: a string, or an object with text and segments.
  mobile,
  /// An array of `{text, startMs, endMs}` objects.
  segments,
};

struct field {
  const char* name;
  kind type;
  bool required = false;
};

using schema = std::vector<field>;

const char* describe(kind type) {
  switch (type) {
  case kind::id:
    return "a string or a number";
  case kind::string:
    return "a string";
  case kind::number:
    return "a number";
  case kind::integer:
    return "an integer";
  case kind::boolean:
    return "true or false";
  case kind::object:
  case kind::frames:
    return "an object";
  case kind::string_list:
    return "an array of strings";
  case kind::mobile:
    return "a string or an object with a string 'text'";
  case kind::segments:
    return "an array of {text, startMs, endMs} objects";
  }
  return "valid";
}

std::optional<schema_violation> check(const json& object, const schema& fields,
                                      const std::string& prefix);

bool has_type(const json& value, kind type,
              std::optional<schema_violation>& nested,
              const std::string& path) {
  switch (type) {
  case kind::id:
    return value.is_string() || value.is_number();
  case kind::string:
    return value.is_string();
  case kind::number:
    return value.is_number();
  case kind::integer:
    return value.is_number_integer();
  case kind::boolean:
    return value.is_boolean();
  case kind::object:
    return value.is_object();
  case kind::string_list:
    if (!value.is_array())
      return false;
    for (const auto& item : value)
      if (!item.is_string())
        return false;
    return true;
  case kind::frames: {
    static const schema frames = {
        {"audio", kind::integer},
        {"embedding", kind::integer},
        {"voiceProfile", kind::integer},
        {"audioMimeType", kind::string},
        {"audioSize", kind::integer},
        {"embeddingSize", kind::integer},
        {"voiceProfileSize", kind::integer},
    };
    if (!value.is_object())
      return false;
    nested = check(value, frames, path + ".");
    return true;
  }
  case kind::mobile: {
    static const schema mobile = {
        {"text", kind::string, true}, {"language", kind::string},
        {"confidence", kind::number}, {"source", kind::string},
        {"segments", kind::segments},
    };
    if (value.is_string())
      return true;
    if (!value.is_object())
      return false;
    nested = check(value, mobile, path + ".");
    return true;
  }
  case kind::segments: {
    static const schema segment = {
        {"text", kind::string, true},
        {"startMs", kind::number, true},
        {"endMs", kind::number, true},
        {"confidence", kind::number},
    };
    if (!value.is_array())
      return false;
    for (size_t i = 0; i < value.size() && !nested; ++i) {
      if (!value[i].is_object())
        return false;
      nested = check(value[i], segment, path + "[" + std::to_string(i) + "].");
    }
    return true;
  }
  }
  return false;
}

std::optional<schema_violation> check(const json& object, const schema& fields,
                                      const std::string& prefix) {
  for (const auto& f : fields) {
    auto path = prefix + f.name;
    auto i = object.find(f.name);
    if (i == object.end() || i->is_null()) {
      if (f.required)
        return schema_violation{"missing required field '" + path + "'"};
      continue;
    }
    std::optional<schema_violation> nested;
    if (!has_type(*i, f.type, nested, path))
      return schema_violation{"field '" + path + "' must be "
                              + describe(f.type)};
    if (nested)
      return nested;
  }
  return std::nullopt;
}

schema operator+(schema a, const schema& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const schema& schema_of(request_type type) {
  static const schema none;
  static const schema translation = {
      {"taskId", kind::id},
      {"messageId", kind::id},
      {"conversationId", kind::id},
      {"text", kind::string, true},
      {"sourceLanguage", kind::string},
      {"targetLanguages", kind::string_list, true},
      {"modelType", kind::string},
      {"timestamp", kind::number},
  };
  static const schema story = {
      {"taskId", kind::id},
      {"postId", kind::id, true},
      {"textObjectIndex", kind::integer, true},
      {"userLanguage", kind::string},
      {"text", kind::string, true},
      {"sourceLanguage", kind::string},
      {"targetLanguages", kind::string_list, true},
      {"modelType", kind::string},
      {"timestamp", kind::number},
  };
  static const schema audio_common = {
      {"taskId", kind::id},
      {"messageId", kind::id},
      {"attachmentId", kind::id},
      {"audioPath", kind::string},
      {"audioUrl", kind::string},
      {"audioData", kind::string},
      {"audioFormat", kind::string},
      {"binaryFrames", kind::frames},
      {"mobileTranscription", kind::mobile},
      {"generateVoiceClone", kind::boolean},
  };
  static const schema transcription = audio_common;
  static const schema audio_process =
      audio_common
      + schema{
          {"conversationId", kind::id},
          {"senderId", kind::id},
          {"postId", kind::id},
          {"postMediaId", kind::id},
          {"audioBase64", kind::string},
          {"audioMimeType", kind::string},
          {"audioDurationMs", kind::number},
          {"userLanguage", kind::string},
          {"sourceLanguage", kind::string},
          {"language", kind::string},
          {"targetLanguages", kind::string_list, true},
          {"modelType", kind::string},
          {"originalSenderId", kind::id},
          {"existingVoiceProfile", kind::object},
          {"useOriginalVoice", kind::boolean},
          {"voiceCloneParams", kind::object},
          {"cloningParams", kind::object},
      };
  static const schema voice_base = {
      {"taskId", kind::id, true},
      {"userId", kind::id},
  };
  static const schema voice_translate =
      voice_base
      + schema{
          {"audioBase64", kind::string},
          {"audioPath", kind::string},
          {"targetLanguages", kind::string_list, true},
          {"sourceLanguage", kind::string},
          {"generateVoiceClone", kind::boolean},
          {"webhookUrl", kind::string},
          {"priority", kind::number},
          {"callbackMetadata", kind::object},
          {"mobileTranscription", kind::mobile},
          {"modelType", kind::string},
      };
  static const schema voice_job =
      voice_base + schema{{"jobId", kind::id, true}};
  static const schema voice_stats =
      voice_base + schema{{"period", kind::string}};
  static const schema voice_analyze =
      voice_base
      + schema{{"audioBase64", kind::string},
               {"audioPath", kind::string},
               {"analysisTypes", kind::string_list}};
  static const schema voice_compare = voice_base
                                      + schema{{"audioBase64_1", kind::string},
                                               {"audioPath_1", kind::string},
                                               {"audioBase64_2", kind::string},
                                               {"audioPath_2", kind::string}};
  static const schema voice_feedback = voice_base
                                       + schema{{"translationId", kind::id},
                                                {"rating", kind::number},
                                                {"feedbackType", kind::string},
                                                {"comment", kind::string},
                                                {"metadata", kind::object}};
  static const schema voice_history = voice_base
                                      + schema{{"limit", kind::integer},
                                               {"offset", kind::integer},
                                               {"startDate", kind::string},
                                               {"endDate", kind::string}};
  static const schema profile_base = {
      {"request_id", kind::id, true},
      {"user_id", kind::id},
  };
  static const schema profile_analyze =
      profile_base
      + schema{{"audio_data", kind::string},
               {"audio_format", kind::string},
               {"is_update", kind::boolean},
               {"existing_fingerprint", kind::object},
               {"include_transcription", kind::boolean},
               {"generate_previews", kind::boolean},
               {"preview_languages", kind::string_list},
               {"preview_text", kind::string}};
  static const schema profile_verify =
      profile_base
      + schema{{"audio_data", kind::string},
               {"audio_format", kind::string},
               {"existing_fingerprint", kind::object}};
  static const schema profile_compare =
      profile_base
      + schema{{"fingerprint_a", kind::object},
               {"fingerprint_b", kind::object}};
  static const schema profile_store =
      voice_base
      + schema{{"profileId", kind::id},       {"name", kind::string},
               {"audioBase64", kind::string}, {"audioPath", kind::string},
               {"metadata", kind::object},    {"limit", kind::integer},
               {"offset", kind::integer}};
  switch (type) {
  case request_type::translation:
    return translation;
  case request_type::story_text_object_translation:
    return story;
  case request_type::transcription_only:
    return transcription;
  case request_type::audio_process:
    return audio_process;
  case request_type::voice_translate:
  case request_type::voice_translate_async:
    return voice_translate;
  case request_type::voice_job_status:
  case request_type::voice_job_cancel:
    return voice_job;
  case request_type::voice_stats:
    return voice_stats;
  case request_type::voice_analyze:
    return voice_analyze;
  case request_type::voice_compare:
    return voice_compare;
  case request_type::voice_feedback:
    return voice_feedback;
  case request_type::voice_history:
    return voice_history;
  case request_type::voice_admin_metrics:
  case request_type::voice_health:
  case request_type::voice_languages:
  case request_type::voice_other:
    return voice_base;
  case request_type::voice_profile_analyze:
    return profile_analyze;
  case request_type::voice_profile_verify:
    return profile_verify;
  case request_type::voice_profile_compare:
    return profile_compare;
  case request_type::voice_profile_store:
    return profile_store;
  default:
    return none;
  }
}

} // namespace

std::optional<schema_violation> check_schema(request_type type,
                                             const json& request) {
  return check(request, schema_of(type), "");
}

} // namespace parley
