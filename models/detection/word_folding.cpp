#include "models/detection/word_folding.hpp"

#include <cstdint>

#include "models/text/utf8.hpp"

namespace parley::detection {

namespace {

/// The base letters of U+00C0–U+017F, lowercase; 0 for those without one.
/// Two-letter foldings (ß, æ, œ) are handled apart.
constexpr char latin_base[] =
    // U+00C0–U+00FF
    "aaaaaaaceeeeiiii"
    "dnooooo\0ouuuuyts"
    "aaaaaaaceeeeiiii"
    "dnooooo\0ouuuuyty"
    // U+0100–U+017F
    "aaaaaaccccccccdd"
    "ddeeeeeeeeeegggg"
    "gggghhhhiiiiiiii"
    "iijjjjkkklllllll"
    "lllnnnnnnnnnoooo"
    "oooorrrrrrssssss"
    "ssttttttuuuuuuuu"
    "uuuuwwyyyzzzzzzs";

/// Vietnamese and other letters of Latin Extended Additional (U+1EA0–U+1EF9)
/// fold by ranges to their base vowel.
char vietnamese_base(char32_t c) {
  if (c >= 0x1EA0 && c <= 0x1EB7)
    return 'a';
  if (c >= 0x1EB8 && c <= 0x1EC7)
    return 'e';
  if (c >= 0x1EC8 && c <= 0x1ECB)
    return 'i';
  if (c >= 0x1ECC && c <= 0x1EE3)
    return 'o';
  if (c >= 0x1EE4 && c <= 0x1EF1)
    return 'u';
  if (c >= 0x1EF2 && c <= 0x1EF9)
    return 'y';
  return 0;
}

} // namespace

char32_t lowercase(char32_t c) {
  if (c == 0x0130) // Turkish İ
    return U'i';
  if (c >= U'A' && c <= U'Z')
    return c + 32;
  if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) // À–Þ
    return c + 32;
  // Latin Extended-A pairs: uppercase even, except from Ĺ to Ň and Ź to Ž.
  if ((c >= 0x0100 && c <= 0x0137) || (c >= 0x014A && c <= 0x0177))
    return c % 2 == 0 ? c + 1 : c;
  if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E))
    return c % 2 == 1 ? c + 1 : c;
  if (c == 0x0178) // Ÿ
    return 0x00FF;
  if (c >= 0x0410 && c <= 0x042F) // Cyrillic А–Я
    return c + 32;
  if (c >= 0x0400 && c <= 0x040F) // Ѐ–Џ
    return c + 80;
  if ((c >= 0x0460 && c <= 0x04FF) && c % 2 == 0 && c != 0x04C0)
    return c + 1; // Cyrillic pairs, uppercase even (Ґ → ґ)
  if (c >= 0x0391 && c <= 0x03AB && c != 0x03A2) // Greek
    return c + 32;
  if (c >= 0x1EA0 && c <= 0x1EF9) // Vietnamese pairs, uppercase even
    return c % 2 == 0 ? c + 1 : c;
  return c;
}

namespace {

bool is_apostrophe(char32_t c) {
  return c == U'\'' || c == 0x2019;
}

} // namespace

std::string fold_word(std::string_view word) {
  std::string folded;
  folded.reserve(word.size());
  for (size_t pos = 0; pos < word.size();) {
    auto point = utf8::decode(word, pos);
    pos += point.length;
    auto c = lowercase(point.value);
    if (c >= 0x00C0 && c <= 0x017F) {
      if (c == 0x00DF) { // ß
        folded += "ss";
      } else if (c == 0x00C6 || c == 0x00E6) {
        folded += "ae";
      } else if (c == 0x0152 || c == 0x0153) {
        folded += "oe";
      } else if (char base = latin_base[c - 0x00C0]; base != 0) {
        folded += base;
      } else {
        utf8::append(folded, c); // × and ÷
      }
    } else if (char base = vietnamese_base(c); base != 0) {
      folded += base;
    } else if (c == 0x01A1 || c == 0x01A0) { // ơ
      folded += 'o';
    } else if (c == 0x01B0 || c == 0x01AF) { // ư
      folded += 'u';
    } else if (c == 0x0451) { // ё
      utf8::append(folded, 0x0435);
    } else if (c == 0x2019) {
      folded += '\'';
    } else {
      utf8::append(folded, c);
    }
  }
  return folded;
}

bool is_capitalized(std::string_view word) {
  if (word.empty())
    return false;
  auto first = utf8::decode(word, 0).value;
  return lowercase(first) != first;
}

std::vector<std::string> folded_words(std::string_view text) {
  std::vector<std::string> words;
  size_t begin = std::string_view::npos;
  size_t last_letter_end = 0;
  auto close = [&](size_t end) {
    if (begin != std::string_view::npos)
      words.push_back(fold_word(text.substr(begin, end - begin)));
    begin = std::string_view::npos;
  };
  for (size_t pos = 0; pos < text.size();) {
    auto point = utf8::decode(text, pos);
    bool letter = utf8::is_word_char(point.value)
                  && !(point.value >= U'0' && point.value <= U'9');
    if (letter) {
      if (begin == std::string_view::npos)
        begin = pos;
      last_letter_end = pos + point.length;
    } else if (!(is_apostrophe(point.value)
                 && begin != std::string_view::npos)) {
      close(last_letter_end);
    }
    pos += point.length;
  }
  close(last_letter_end);
  return words;
}

uint64_t word_hash(std::string_view folded) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (auto c : folded) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  // FNV's low bits mix poorly; the tables index by them.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

} // namespace parley::detection
