#include "models/detection/script.hpp"

#include <array>
#include <map>

#include "models/text/utf8.hpp"

namespace parley::detection {

namespace {

struct script_range {
  char32_t first;
  char32_t last;
  const char* script;
};

// Unicode blocks of the letters of each script, in code point order.
constexpr std::array<script_range, 38> ranges = {{
  {U'A', U'Z', "Latin"},
  {U'a', U'z', "Latin"},
  {0x00C0, 0x024F, "Latin"},
  {0x0370, 0x03FF, "Greek"},
  {0x0400, 0x052F, "Cyrillic"},
  {0x0530, 0x058F, "Armenian"},
  {0x0590, 0x05FF, "Hebrew"},
  {0x0600, 0x06FF, "Arabic"},
  {0x0750, 0x077F, "Arabic"},
  {0x08A0, 0x08FF, "Arabic"},
  {0x0900, 0x097F, "Devanagari"},
  {0x0980, 0x09FF, "Bengali"},
  {0x0A00, 0x0A7F, "Gurmukhi"},
  {0x0A80, 0x0AFF, "Gujarati"},
  {0x0B80, 0x0BFF, "Tamil"},
  {0x0C00, 0x0C7F, "Telugu"},
  {0x0C80, 0x0CFF, "Kannada"},
  {0x0D00, 0x0D7F, "Malayalam"},
  {0x0D80, 0x0DFF, "Sinhala"},
  {0x0E00, 0x0E7F, "Thai"},
  {0x0E80, 0x0EFF, "Lao"},
  {0x1000, 0x109F, "Myanmar"},
  {0x10A0, 0x10FF, "Georgian"},
  {0x1100, 0x11FF, "Hangul"},
  {0x1200, 0x137F, "Ethiopic"},
  {0x1780, 0x17FF, "Khmer"},
  {0x1E00, 0x1EFF, "Latin"},
  {0x3040, 0x309F, "Kana"},
  {0x30A0, 0x30FF, "Kana"},
  {0x3130, 0x318F, "Hangul"},
  {0x31F0, 0x31FF, "Kana"},
  {0x3400, 0x4DBF, "Han"},
  {0x4E00, 0x9FFF, "Han"},
  {0xAC00, 0xD7AF, "Hangul"},
  {0xF900, 0xFAFF, "Han"},
  {0xFB50, 0xFDFF, "Arabic"},
  {0xFE70, 0xFEFF, "Arabic"},
  {0xFF66, 0xFF9D, "Kana"},
}};

const char* script_of(char32_t c) {
  for (const auto& range : ranges)
    if (c >= range.first && c <= range.last)
      return range.script;
  return nullptr;
}

} // namespace

std::string language_of_script(std::string_view script) {
  static const std::map<std::string_view, const char*> languages = {
    {"Arabic", "ar"},   {"Armenian", "hy"}, {"Bengali", "bn"},
    {"Cyrillic", "ru"}, {"Devanagari", "hi"}, {"Ethiopic", "am"},
    {"Georgian", "ka"}, {"Greek", "el"},    {"Gujarati", "gu"},
    {"Gurmukhi", "pa"}, {"Han", "zh"},      {"Hangul", "ko"},
    {"Hebrew", "he"},   {"Kana", "ja"},     {"Kannada", "kn"},
    {"Khmer", "km"},    {"Lao", "lo"},      {"Latin", "en"},
    {"Malayalam", "ml"}, {"Myanmar", "my"}, {"Sinhala", "si"},
    {"Tamil", "ta"},    {"Telugu", "te"},   {"Thai", "th"},
  };
  auto i = languages.find(script);
  return i == languages.end() ? std::string{} : i->second;
}

std::string script_of_language(std::string_view language) {
  static const std::map<std::string_view, const char*> scripts = {
    {"am", "Ethiopic"},  {"ar", "Arabic"},     {"as", "Bengali"},
    {"ba", "Cyrillic"},  {"be", "Cyrillic"},   {"bg", "Cyrillic"},
    {"bn", "Bengali"},   {"cv", "Cyrillic"},   {"el", "Greek"},
    {"fa", "Arabic"},    {"gu", "Gujarati"},   {"he", "Hebrew"},
    {"hi", "Devanagari"}, {"hy", "Armenian"},  {"ja", "Kana"},
    {"ka", "Georgian"},  {"kk", "Cyrillic"},   {"km", "Khmer"},
    {"kn", "Kannada"},   {"ko", "Hangul"},     {"ky", "Cyrillic"},
    {"lo", "Lao"},       {"mk", "Cyrillic"},   {"ml", "Malayalam"},
    {"mn", "Cyrillic"},  {"mr", "Devanagari"}, {"my", "Myanmar"},
    {"ne", "Devanagari"}, {"pa", "Gurmukhi"},  {"ps", "Arabic"},
    {"ru", "Cyrillic"},  {"sa", "Devanagari"}, {"sd", "Arabic"},
    {"si", "Sinhala"},   {"sr", "Cyrillic"},   {"ta", "Tamil"},
    {"te", "Telugu"},    {"tg", "Cyrillic"},   {"th", "Thai"},
    {"ti", "Ethiopic"},  {"tt", "Cyrillic"},   {"ug", "Arabic"},
    {"uk", "Cyrillic"},  {"ur", "Arabic"},     {"yi", "Hebrew"},
    {"zh", "Han"},
  };
  auto primary = language.substr(0, language.find('-'));
  auto i = scripts.find(primary);
  return i == scripts.end() ? "Latin" : i->second;
}

script_summary dominant_script(std::string_view text) {
  std::map<std::string, size_t> counts;
  script_summary result;
  for (size_t pos = 0; pos < text.size();) {
    auto point = utf8::decode(text, pos);
    pos += point.length;
    if (!utf8::is_word_char(point.value))
      continue;
    ++result.all_letters;
    if (auto script = script_of(point.value))
      ++counts[script];
  }
  // Kanji without kana is Chinese; with any kana it is Japanese.
  if (counts.count("Kana") > 0 && counts.count("Han") > 0) {
    counts["Kana"] += counts["Han"];
    counts.erase("Han");
  }
  for (const auto& [script, count] : counts)
    if (count > result.letters) {
      result.script = script;
      result.letters = count;
    }
  result.language = language_of_script(result.script);
  return result;
}

} // namespace parley::detection
