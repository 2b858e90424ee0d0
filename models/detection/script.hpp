#pragma once

// Which writing system a text's letters are in. Pure code: the last
// fallback of source-language detection.

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::detection {

/// The dominant script of a text's letters.
struct script_summary {
  /// `Latin`, `Cyrillic`, `Arabic`, `Han`, `Kana`, `Hangul`, `Devanagari`,
  /// ...; empty when the text has no letters.
  std::string script;
  /// The language that script stands for when nothing else is known (see
  /// `language_of_script`).
  std::string language;
  /// Letters in that script, and letters in all.
  size_t letters = 0;
  size_t all_letters = 0;
};

/// Counts the letters of `text` by script. Japanese text mixes kana and Han
/// characters; any kana makes it `Kana`.
script_summary dominant_script(std::string_view text);

/// The language a script stands for on its own: the script's most used
/// language (Latin → en, Cyrillic → ru, Arabic → ar, Han → zh, Kana → ja,
/// Hangul → ko, Devanagari → hi, ...); empty for an unknown script.
std::string language_of_script(std::string_view script);

/// The script a language is written in: `Cyrillic` for ru, `Han` for zh
/// and zh-Hant, `Kana` for ja, ...; `Latin` for every language not listed
/// as written in another script.
std::string script_of_language(std::string_view language);

} // namespace parley::detection
