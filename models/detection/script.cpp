#include "models/detection/script.hpp"

#include <array>
#include <cstdint>
#include <map>

#include "models/text/utf8.hpp"

namespace parley::detection {

namespace {

// The scripts told apart, by index; `ranges` refers to them.
constexpr const char* script_names[] = {
    "Latin",      "Greek",     "Cyrillic", "Armenian", "Hebrew", "Arabic",
    "Devanagari", "Bengali",   "Gurmukhi", "Gujarati", "Tamil",  "Telugu",
    "Kannada",    "Malayalam", "Sinhala",  "Thai",     "Lao",    "Myanmar",
    "Georgian",   "Hangul",    "Ethiopic", "Khmer",    "Kana",   "Han",
};
constexpr size_t script_count = sizeof(script_names) / sizeof(*script_names);
enum script_index : uint8_t {
  latin,
  greek,
  cyrillic,
  armenian,
  hebrew,
  arabic,
  devanagari,
  bengali,
  gurmukhi,
  gujarati,
  tamil,
  telugu,
  kannada,
  malayalam,
  sinhala,
  thai,
  lao,
  myanmar,
  georgian,
  hangul,
  ethiopic,
  khmer,
  kana,
  han,
  none,
};

struct script_range {
  char32_t first;
  char32_t last;
  script_index script;
};

// Unicode blocks of the letters of each script, in code point order.
constexpr std::array<script_range, 38> ranges = {{
    {U'A', U'Z', latin},          {U'a', U'z', latin},
    {0x00C0, 0x024F, latin},      {0x0370, 0x03FF, greek},
    {0x0400, 0x052F, cyrillic},   {0x0530, 0x058F, armenian},
    {0x0590, 0x05FF, hebrew},     {0x0600, 0x06FF, arabic},
    {0x0750, 0x077F, arabic},     {0x08A0, 0x08FF, arabic},
    {0x0900, 0x097F, devanagari}, {0x0980, 0x09FF, bengali},
    {0x0A00, 0x0A7F, gurmukhi},   {0x0A80, 0x0AFF, gujarati},
    {0x0B80, 0x0BFF, tamil},      {0x0C00, 0x0C7F, telugu},
    {0x0C80, 0x0CFF, kannada},    {0x0D00, 0x0D7F, malayalam},
    {0x0D80, 0x0DFF, sinhala},    {0x0E00, 0x0E7F, thai},
    {0x0E80, 0x0EFF, lao},        {0x1000, 0x109F, myanmar},
    {0x10A0, 0x10FF, georgian},   {0x1100, 0x11FF, hangul},
    {0x1200, 0x137F, ethiopic},   {0x1780, 0x17FF, khmer},
    {0x1E00, 0x1EFF, latin},      {0x3040, 0x309F, kana},
    {0x30A0, 0x30FF, kana},       {0x3130, 0x318F, hangul},
    {0x31F0, 0x31FF, kana},       {0x3400, 0x4DBF, han},
    {0x4E00, 0x9FFF, han},        {0xAC00, 0xD7AF, hangul},
    {0xF900, 0xFAFF, han},        {0xFB50, 0xFDFF, arabic},
    {0xFE70, 0xFEFF, arabic},     {0xFF66, 0xFF9D, kana},
}};

script_index script_of(char32_t c) {
  for (const auto& range : ranges)
    if (c >= range.first && c <= range.last)
      return range.script;
  return none;
}

} // namespace

std::string language_of_script(std::string_view script) {
  static const std::map<std::string_view, const char*> languages = {
      {"Arabic", "ar"},    {"Armenian", "hy"},   {"Bengali", "bn"},
      {"Cyrillic", "ru"},  {"Devanagari", "hi"}, {"Ethiopic", "am"},
      {"Georgian", "ka"},  {"Greek", "el"},      {"Gujarati", "gu"},
      {"Gurmukhi", "pa"},  {"Han", "zh"},        {"Hangul", "ko"},
      {"Hebrew", "he"},    {"Kana", "ja"},       {"Kannada", "kn"},
      {"Khmer", "km"},     {"Lao", "lo"},        {"Latin", "en"},
      {"Malayalam", "ml"}, {"Myanmar", "my"},    {"Sinhala", "si"},
      {"Tamil", "ta"},     {"Telugu", "te"},     {"Thai", "th"},
  };
  auto i = languages.find(script);
  return i == languages.end() ? std::string{} : i->second;
}

std::string script_of_language(std::string_view language) {
  static const std::map<std::string_view, const char*> scripts = {
      {"am", "Ethiopic"},   {"ar", "Arabic"},     {"as", "Bengali"},
      {"ba", "Cyrillic"},   {"be", "Cyrillic"},   {"bg", "Cyrillic"},
      {"bn", "Bengali"},    {"cv", "Cyrillic"},   {"el", "Greek"},
      {"fa", "Arabic"},     {"gu", "Gujarati"},   {"he", "Hebrew"},
      {"hi", "Devanagari"}, {"hy", "Armenian"},   {"ja", "Kana"},
      {"ka", "Georgian"},   {"kk", "Cyrillic"},   {"km", "Khmer"},
      {"kn", "Kannada"},    {"ko", "Hangul"},     {"ky", "Cyrillic"},
      {"lo", "Lao"},        {"mk", "Cyrillic"},   {"ml", "Malayalam"},
      {"mn", "Cyrillic"},   {"mr", "Devanagari"}, {"my", "Myanmar"},
      {"ne", "Devanagari"}, {"pa", "Gurmukhi"},   {"ps", "Arabic"},
      {"ru", "Cyrillic"},   {"sa", "Devanagari"}, {"sd", "Arabic"},
      {"si", "Sinhala"},    {"sr", "Cyrillic"},   {"ta", "Tamil"},
      {"te", "Telugu"},     {"tg", "Cyrillic"},   {"th", "Thai"},
      {"ti", "Ethiopic"},   {"tt", "Cyrillic"},   {"ug", "Arabic"},
      {"uk", "Cyrillic"},   {"ur", "Arabic"},     {"yi", "Hebrew"},
      {"zh", "Han"},
  };
  auto primary = language.substr(0, language.find('-'));
  auto i = scripts.find(primary);
  return i == scripts.end() ? "Latin" : i->second;
}

script_summary dominant_script(std::string_view text) {
  std::array<size_t, script_count> counts{};
  script_summary result;
  for (size_t pos = 0; pos < text.size();) {
    auto point = utf8::decode(text, pos);
    pos += point.length;
    if (!utf8::is_word_char(point.value))
      continue;
    ++result.all_letters;
    if (auto script = script_of(point.value); script != none)
      ++counts[script];
  }
  // Kanji without kana is Chinese; with any kana it is Japanese.
  if (counts[kana] > 0) {
    counts[kana] += counts[han];
    counts[han] = 0;
  }
  for (size_t i = 0; i < script_count; ++i)
    if (counts[i] > result.letters) {
      result.script = script_names[i];
      result.letters = counts[i];
    }
  result.language = language_of_script(result.script);
  return result;
}

} // namespace parley::detection
