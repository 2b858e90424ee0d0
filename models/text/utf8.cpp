#include "models/text/utf8.hpp"

namespace parley::utf8 {
namespace {

constexpr char32_t replacement = 0xFFFD;

bool in(char32_t c, char32_t low, char32_t high) {
  return c >= low && c <= high;
}

} // namespace

code_point decode(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  auto lead = byte(pos);
  if (lead < 0x80) {
    return {lead, 1};
  }
  size_t length = 0;
  char32_t value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    return {replacement, 1};
  }
  if (pos + length > text.size()) {
    return {replacement, 1};
  }
  for (size_t i = 1; i < length; ++i) {
    auto next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      return {replacement, 1};
    }
    value = (value << 6) | (next & 0x3F);
  }
  return {value, length};
}

void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
         || c == '\v' || c == 0xA0 || in(c, 0x2000, 0x200A) || c == 0x202F
         || c == 0x205F || c == 0x3000;
}

bool is_emoji_base(char32_t c) {
  return in(c, 0x1F000, 0x1FAFF) || in(c, 0x2600, 0x27BF) || c == 0x231A
         || c == 0x231B || in(c, 0x23E9, 0x23F3) || in(c, 0x23F8, 0x23FA)
         || c == 0x2B1B || c == 0x2B1C || c == 0x2B50 || c == 0x2B55;
}

bool is_text_symbol(char32_t c) {
  return c == 0xA9 || c == 0xAE || in(c, 0x2000, 0x2BFF) || c == 0x3030
         || c == 0x303D || c == 0x3297 || c == 0x3299;
}

bool is_emoji_component(char32_t c) {
  return c == 0xFE0E || c == 0xFE0F || c == 0x20E3 || in(c, 0x1F3FB, 0x1F3FF)
         || in(c, 0xE0020, 0xE007F);
}

bool is_regional_indicator(char32_t c) {
  return in(c, 0x1F1E6, 0x1F1FF);
}

bool is_word_char(char32_t c) {
  if (c < 0x80) {
    return in(c, 'a', 'z') || in(c, 'A', 'Z');
  }
  if (is_space(c) || is_emoji_base(c) || is_emoji_component(c)) {
    return false;
  }
  // Latin-1 punctuation and symbols, × and ÷.
  if (in(c, 0x80, 0xBF) || c == 0xD7 || c == 0xF7) {
    return false;
  }
  // Sentence marks of other scripts: Arabic, Devanagari, Armenian, Ethiopic,
  // Myanmar.
  if (c == 0x060C || c == 0x061B || c == 0x061F || c == 0x06D4 || c == 0x0964
      || c == 0x0965 || c == 0x0589 || in(c, 0x1361, 0x1368) || c == 0x104A
      || c == 0x104B) {
    return false;
  }
  // General punctuation through supplemental arrows, CJK punctuation,
  // variation selectors, CJK compatibility and small forms, fullwidth
  // punctuation and digits, specials, tags.
  return !(in(c, 0x2000, 0x2BFF) || in(c, 0x3000, 0x303F)
           || in(c, 0xFE00, 0xFE0F) || in(c, 0xFE30, 0xFE6F)
           || in(c, 0xFF00, 0xFF20) || in(c, 0xFF3B, 0xFF40)
           || in(c, 0xFF5B, 0xFF65) || in(c, 0xFFF0, 0xFFFF)
           || in(c, 0xE0000, 0xE007F));
}

} // namespace parley::utf8
