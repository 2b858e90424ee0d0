// The CLD2 detector: Google's Compact Language Detector 2 as Debian ships it
// (libcld2, the ~80-language tables compiled into the library).

// CLD2's header uses FILE without including <cstdio>.
#include <cstdio>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <map>
#include <string>

#include "models/detection/language_detector.hpp"

namespace parley::detection {

namespace {

/// CLD2's codes in Parley's form: current ISO 639-1 codes, no region.
std::string parley_code(CLD2::Language language) {
  std::string code = CLD2::LanguageCode(language);
  static const std::map<std::string, std::string> renamed = {
      {"iw", "he"}, // Hebrew's withdrawn code
      {"jw", "jv"}, // Javanese
      {"no", "nb"}, // Norwegian Bokmål
      {"sr-ME", "sr"},
  };
  if (auto i = renamed.find(code); i != renamed.end())
    return i->second;
  return code;
}

bool is_known(CLD2::Language language) {
  if (language == CLD2::UNKNOWN_LANGUAGE
      || language == CLD2::TG_UNKNOWN_LANGUAGE)
    return false;
  std::string code = CLD2::LanguageCode(language);
  // "xx-Qaai" and friends name scripts, not languages.
  return !code.empty() && code != "un" && code.rfind("xx", 0) != 0;
}

class cld2_detector final : public language_detector {
public:
  detector_answer detect(std::string_view text) const override {
    CLD2::CLDHints hints{nullptr, "", CLD2::UNKNOWN_ENCODING,
                         CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language languages[3];
    int percents[3];
    double scores[3];
    int text_bytes = 0;
    bool reliable = false;
    // Best effort: a guess even for short texts, marked unreliable; the
    // caller decides what an unreliable guess is worth.
    CLD2::ExtDetectLanguageSummary(
        text.data(), static_cast<int>(text.size()),
        /*is_plain_text=*/true, &hints, CLD2::kCLDFlagBestEffort, languages,
        percents, scores, nullptr, &text_bytes, &reliable);
    detector_answer answer;
    answer.reliable = reliable;
    for (int i = 0; i < 3; ++i)
      if (is_known(languages[i]) && percents[i] > 0)
        answer.candidates.push_back(
            {parley_code(languages[i]), static_cast<float>(percents[i]) / 100});
    if (answer.candidates.empty())
      answer.reliable = false;
    return answer;
  }

  std::string name() const override {
    return "cld2";
  }
};

} // namespace

std::unique_ptr<language_detector> make_cld2_detector() {
  return std::make_unique<cld2_detector>();
}

} // namespace parley::detection
