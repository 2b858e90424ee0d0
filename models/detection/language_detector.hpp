#pragma once

// The statistical detector behind source-language detection, as an
// interface: CLD2 today, a neural detector later.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley::detection {

/// One language a detector considered, with the share of the text it gave it.
struct candidate {
  /// ISO 639-1 (`fr`), or with a script (`zh-Hant`).
  std::string language;
  /// 0 to 1.
  float confidence = 0;
};

/// What a detector says about one text.
struct detector_answer {
  /// Best first; empty when the detector knows none of the text.
  std::vector<candidate> candidates;
  /// The detector's own verdict: enough text, one clear winner.
  bool reliable = false;
};

/// Detects the language of plain UTF-8 text. Implementations are immutable
/// after construction and safe to call from several threads at once.
class language_detector {
public:
  virtual ~language_detector() = default;

  virtual detector_answer detect(std::string_view text) const = 0;

  /// The engine's name, for logs and `/detect`.
  virtual std::string name() const = 0;
};

/// Google's Compact Language Detector 2 (Debian's libcld2): about 80
/// languages from its embedded tables, microseconds per message.
std::unique_ptr<language_detector> make_cld2_detector();

} // namespace parley::detection
