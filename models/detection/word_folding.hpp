#pragma once

// Words as short-text detection compares them: lowercase, without
// diacritics, so "À DEMAIN", "à demain" and "a demain" read alike. Shared by
// the build-time table builder and the detector, which must fold the same
// way.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::detection {

/// `word` in lowercase with its Latin diacritics removed (é → e, ł → l,
/// ß → ss, đ → d) and Russian ё read as е. Other Cyrillic letters stay (і,
/// ї, є and ґ tell Ukrainian). Invalid UTF-8 reads as U+FFFD.
std::string fold_word(std::string_view word);

/// The lowercase of a Latin, Cyrillic, Greek or Vietnamese letter; other
/// code points unchanged.
char32_t lowercase(char32_t c);

/// Whether the first letter of `word` is an uppercase letter.
bool is_capitalized(std::string_view word);

/// The words of `text`, folded: runs of letters, with an apostrophe inside
/// a word kept ("t'es", "c'est"; ’ reads as ').
std::vector<std::string> folded_words(std::string_view text);

/// A stable 64-bit hash of a folded word (FNV-1a, then mixed): the key of
/// the word tables, so it must never change without rebuilding them.
uint64_t word_hash(std::string_view folded);

} // namespace parley::detection
