#include "io/redis/redis_format.hpp"

#include "io/encoding/base64.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "actors/sha256.hpp"
#include "io/encoding/python_json.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// Parses an object, or nothing: values under a key may be anything.
std::optional<json> parse_object(const std::string& value) {
  auto parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object())
    return std::nullopt;
  return parsed;
}

std::string string_or(const json& object, const char* name,
                      std::string fallback) {
  auto i = object.find(name);
  return i != object.end() && i->is_string() ? i->get<std::string>() : fallback;
}

double number_or(const json& object, const char* name, double fallback) {
  auto i = object.find(name);
  return i != object.end() && i->is_number() ? i->get<double>() : fallback;
}

uint32_t milliseconds_or_zero(const json& object, const char* name) {
  auto value = number_or(object, name, 0);
  return value > 0 && value < 4.0e9 ? static_cast<uint32_t>(value) : 0;
}

} // namespace

bool is_premium_model_type(const std::string& model_type) {
  // The old service's list: premium_models in TranslationCacheService.
  return model_type == "premium" || model_type == "1.3B"
         || model_type == "nllb-200-1.3B";
}

std::string text_hash(const tier_text_key& key) {
  auto content = key.text + "|" + key.source_lang + "|" + key.target_lang + "|"
                 + key.model_type;
  return sha256_hex(content).substr(0, 32);
}

std::string text_key_name(const std::string& hash) {
  return "translation:text:" + hash;
}

std::string premium_fallback_key_name(const tier_text_key& key) {
  if (is_premium_model_type(key.model_type))
    return {};
  auto premium = key;
  premium.model_type = "premium";
  return text_key_name(text_hash(premium));
}

std::string encode_text_value(const tier_text_key& key,
                              const std::string& translated,
                              const std::string& hash,
                              const std::string& cached_at) {
  python_json out;
  out.begin_object()
      .field("translated_text", translated)
      .field("source_lang", key.source_lang)
      .field("target_lang", key.target_lang)
      .field("model_type", key.model_type)
      .field("cached_at", cached_at)
      .field("text_hash", hash)
      .end_object();
  return out.take();
}

std::optional<cached_text> decode_text_value(const std::string& value,
                                             const tier_text_key& key) {
  auto object = parse_object(value);
  if (!object)
    return std::nullopt;
  auto text = object->find("translated_text");
  if (text == object->end() || !text->is_string())
    return std::nullopt;
  cached_text result;
  result.text = text->get<std::string>();
  result.route = {key.source_lang, key.target_lang};
  return result;
}

std::string transcript_key_name(const transcript_key& key) {
  return "audio:transcription:hash:" + key.audio_hash;
}

std::string encode_transcript_value(const transcription& heard) {
  python_json out;
  out.begin_object()
      .field("text", heard.text)
      .field("language", heard.language)
      .field("confidence", static_cast<double>(heard.confidence))
      .field("duration_ms", static_cast<int64_t>(heard.duration_ms))
      .field("source", heard.model);
  out.key("segments").begin_array();
  for (const auto& segment : heard.segments) {
    out.begin_object()
        .field("text", segment.text)
        .field("startMs", static_cast<int64_t>(segment.start_ms))
        .field("endMs", static_cast<int64_t>(segment.end_ms))
        .field("confidence", static_cast<double>(segment.confidence));
    out.key("speakerId").null();
    out.key("voiceSimilarityScore").null();
    out.key("language").null();
    out.end_object();
  }
  out.end_array();
  for (auto name :
       {"speaker_count", "primary_speaker_id", "sender_voice_identified",
        "sender_speaker_id", "speaker_analysis"})
    out.key(name).null();
  return out.end_object().take();
}

std::optional<transcription> decode_transcript_value(const std::string& value) {
  auto object = parse_object(value);
  if (!object)
    return std::nullopt;
  auto text = object->find("text");
  if (text == object->end() || !text->is_string())
    return std::nullopt;
  transcription heard;
  heard.text = text->get<std::string>();
  // The old service's defaults for missing fields (TranscriptionStage).
  heard.language = string_or(*object, "language", "en");
  heard.confidence = static_cast<float>(number_or(*object, "confidence", 0.9));
  heard.duration_ms = milliseconds_or_zero(*object, "duration_ms");
  heard.model = string_or(*object, "source", "cache");
  auto segments = object->find("segments");
  if (segments != object->end() && segments->is_array())
    for (const auto& item : *segments) {
      if (!item.is_object())
        continue;
      transcript_segment segment;
      segment.text = string_or(item, "text", "");
      segment.start_ms = milliseconds_or_zero(item, "startMs");
      segment.end_ms = milliseconds_or_zero(item, "endMs");
      segment.confidence = static_cast<float>(number_or(item, "confidence", 0));
      heard.segments.push_back(std::move(segment));
    }
  return heard;
}

std::string speech_key_name(const speech_key& key) {
  return "audio:translation:hash:" + key.audio_hash + ":" + key.lang + ":"
         + key.variant;
}

std::string encode_speech_value(const cached_speech& spoken,
                                const std::string& cached_at) {
  auto slash = spoken.speech.mime_type.find('/');
  auto format = slash == std::string::npos
                    ? spoken.speech.mime_type
                    : spoken.speech.mime_type.substr(slash + 1);
  python_json out;
  out.begin_object()
      .field("translated_text", spoken.text)
      .field("duration_ms", static_cast<int64_t>(spoken.speech.duration_ms))
      .field("format", format)
      .field("voice_cloned", false)
      .field("audio_mime_type", spoken.speech.mime_type)
      .field("cached_at", cached_at)
      .field("audio_data_base64", base64_encode(spoken.speech.bytes))
      .end_object();
  return out.take();
}

std::optional<cached_speech> decode_speech_value(const std::string& value) {
  auto object = parse_object(value);
  if (!object)
    return std::nullopt;
  auto text = object->find("translated_text");
  auto audio = object->find("audio_data_base64");
  auto mime = object->find("audio_mime_type");
  if (text == object->end() || !text->is_string() || audio == object->end()
      || !audio->is_string() || mime == object->end() || !mime->is_string())
    return std::nullopt;
  auto bytes = base64_decode(audio->get<std::string>());
  if (!bytes || bytes->empty())
    return std::nullopt;
  cached_speech spoken;
  spoken.found = true;
  spoken.text = text->get<std::string>();
  spoken.speech.bytes = std::move(*bytes);
  spoken.speech.mime_type = mime->get<std::string>();
  spoken.speech.duration_ms = milliseconds_or_zero(*object, "duration_ms");
  return spoken;
}

std::string conversation_languages_key_name(const std::string& conversation) {
  return "parley:lang:c:" + conversation;
}

std::string sender_languages_key_name(const std::string& sender) {
  return "parley:lang:s:" + sender;
}

bool is_language_tag(const std::string& language) {
  if (language.empty() || language.size() > 35)
    return false;
  return std::all_of(language.begin(), language.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::optional<std::vector<std::string>>
decode_language_list(const std::string& value) {
  std::vector<std::string> languages;
  size_t from = 0;
  while (true) {
    auto comma = value.find(',', from);
    auto language = value.substr(from, comma - from);
    if (!is_language_tag(language))
      return std::nullopt;
    languages.push_back(std::move(language));
    if (comma == std::string::npos)
      return languages;
    from = comma + 1;
  }
}

std::string python_isoformat_now() {
  auto now = std::chrono::system_clock::now();
  auto seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    now.time_since_epoch())
                    .count()
                % 1000000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char buffer[64];
  auto n = std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &local);
  std::string text{buffer, n};
  // isoformat() leaves out a zero microsecond field.
  if (micros != 0) {
    std::snprintf(buffer, sizeof(buffer), ".%06lld",
                  static_cast<long long>(micros));
    text += buffer;
  }
  return text;
}

} // namespace parley
