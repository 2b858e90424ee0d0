#pragma once

#include <optional>
#include <string>
#include <vector>

#include "messages/audio_cache_types.hpp"
#include "messages/cache_types.hpp"

namespace parley {

// The keys and values of the shared tier. Text translations and
// transcriptions use exactly the keys and JSON values of the service Parley
// replaces (its services/redis_service.py), so both read each other's
// entries. Spoken translations carry their audio bytes, which that service
// kept in files, so they live under keys of their own.

/// The model type the service Parley replaces assumed when a request named
/// none.
inline constexpr const char* default_model_type = "basic";

/// The model types whose translations any cheaper request may reuse.
bool is_premium_model_type(const std::string& model_type);

/// `sha256("{text}|{source}|{target}|{model_type}")`, first 32 hex digits.
std::string text_hash(const tier_text_key& key);

/// `translation:text:{hash}`.
std::string text_key_name(const std::string& hash);

/// The key a request for a cheaper model also reads: the same text under the
/// `premium` model type; empty when `key` is premium already.
std::string premium_fallback_key_name(const tier_text_key& key);

/// The JSON value the service Parley replaces writes: translated_text,
/// source_lang, target_lang, model_type, cached_at, text_hash.
std::string encode_text_value(const tier_text_key& key,
                              const std::string& translated,
                              const std::string& hash,
                              const std::string& cached_at);

/// Reads a translation value; nothing when it is not one (corrupt, foreign,
/// no string `translated_text`). The route is the pair: the value records
/// no pivot.
std::optional<cached_text> decode_text_value(const std::string& value,
                                             const tier_text_key& key);

/// `audio:transcription:hash:{audio_hash}`.
std::string transcript_key_name(const transcript_key& key);

/// The transcription value of the service Parley replaces: text, language,
/// confidence, duration_ms, source (Parley writes its model name there),
/// segments with startMs/endMs, and its speaker fields (null).
std::string encode_transcript_value(const transcription& heard);

std::optional<transcription> decode_transcript_value(const std::string& value);

/// `audio:translation:hash:{audio_hash}:{lang}:{variant}`: the old key
/// `audio:translation:hash:{audio_hash}:{lang}` extended with what shapes
/// Parley's audio (model type, voice, format).
std::string speech_key_name(const speech_key& key);

/// translated_text, duration_ms, format, voice_cloned, audio_mime_type,
/// cached_at, and the audio itself in `audio_data_base64`.
std::string encode_speech_value(const cached_speech& spoken,
                                const std::string& cached_at);

std::optional<cached_speech> decode_speech_value(const std::string& value);

/// `parley:lang:c:{conversation}`: the languages recently detected in a
/// conversation, most recent first, comma-separated (`fr,fr,de`). Parley's
/// own keys: the old service remembered no languages.
std::string conversation_languages_key_name(const std::string& conversation);

/// `parley:lang:s:{sender}`: those of a sender.
std::string sender_languages_key_name(const std::string& sender);

/// Whether `language` may be one of those: 1 to 35 ASCII letters, digits,
/// hyphens and underscores (`fr`, `pt-BR`, `zh-Hant`).
bool is_language_tag(const std::string& language);

/// Reads a list of languages; nothing when it is not one (empty, an empty
/// item, an item that is not a language tag).
std::optional<std::vector<std::string>>
decode_language_list(const std::string& value);

/// Local time as Python's `datetime.now().isoformat()`.
std::string python_isoformat_now();

} // namespace parley
