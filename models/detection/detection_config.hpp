#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace parley {

/// The `[detection]` settings: how `sourceLanguage: "auto"` is resolved.
struct detection_config {
  /// The detector: `cld2`, or `off` to answer "auto" with
  /// UNSUPPORTED_LANGUAGE as before detection existed.
  std::string engine = "cld2";
  /// Used when the detector is unsure and the request carries no hint;
  /// empty skips to the script of the text.
  std::string default_language;
  /// Below this confidence (0 to 1) a detection counts as unsure even when
  /// the detector calls it reliable.
  double min_confidence = 0.5;
  /// Texts with fewer letters (URLs, mentions and emoji not counted) are
  /// decided among the candidate languages, by their words: on a few words
  /// CLD2 calls wild guesses reliable ("grazie mille" → Estonian).
  size_t min_letters = 30;
  /// Candidate languages for short and ambiguous texts, besides those the
  /// running models translate from: by default the languages most used in
  /// chat, served or not.
  std::vector<std::string> languages = {
      "en", "es", "pt", "fr", "de", "it", "ca", "nl", "pl", "ru",
      "uk", "tr", "ar", "hi", "id", "vi", "ja", "ko", "zh",
  };
  /// Conversations and senders whose recently detected languages are kept
  /// (the prior of short texts); 0 keeps none.
  size_t conversations = 100000;
  /// Languages kept per conversation and per sender, most recent first.
  size_t conversation_depth = 8;
};

} // namespace parley
