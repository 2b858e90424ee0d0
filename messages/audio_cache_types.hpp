#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"
#include "messages/speech.hpp"

namespace parley {

/// Identifies the transcription of a recording: the first 32 hex digits of
/// the SHA-256 of its bytes, as the service Parley replaces keyed it.
struct transcript_key {
  std::string audio_hash;
};

/// A cached transcription, when `found`.
struct cached_transcript {
  bool found = false;
  transcription value;
};

/// Identifies one spoken translation of a recording: its hash, the target
/// language, and what else shapes the audio (model type, voice, format).
struct speech_key {
  std::string audio_hash;
  std::string lang;
  std::string variant;
};

/// A cached spoken translation, when `found`: its text and encoded audio.
struct cached_speech {
  bool found = false;
  std::string text;
  encoded_speech speech;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcript_key& x) {
  return f(caf::meta::type_name("transcript_key"), x.audio_hash);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cached_transcript& x) {
  return f(caf::meta::type_name("cached_transcript"), x.found, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, speech_key& x) {
  return f(caf::meta::type_name("speech_key"), x.audio_hash, x.lang, x.variant);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cached_speech& x) {
  return f(caf::meta::type_name("cached_speech"), x.found, x.text, x.speech);
}

} // namespace parley
