#pragma once

#include <cstddef>
#include <string>

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
  /// Texts with fewer letters (URLs, mentions and emoji not counted) count
  /// as unsure: on a word or two the detector calls wild guesses reliable.
  size_t min_letters = 10;
};

} // namespace parley
