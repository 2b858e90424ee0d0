#include "models/text/emoji.hpp"

#include "models/text/utf8.hpp"

namespace parley {
namespace {

constexpr char32_t zero_width_joiner = 0x200D;
constexpr char32_t emoji_presentation = 0xFE0F;
constexpr char32_t keycap = 0x20E3;

char32_t code_at(std::string_view text, size_t pos) {
  return pos < text.size() ? utf8::decode(text, pos).value : 0;
}

// One emoji with its modifiers, or `i` when none starts there.
size_t match_emoji_element(std::string_view line, size_t i) {
  auto first = utf8::decode(line, i);
  size_t end = i + first.length;
  auto c = first.value;
  if ((c >= '0' && c <= '9') || c == '#' || c == '*') {
    if (code_at(line, end) == emoji_presentation) {
      end += utf8::decode(line, end).length;
    }
    if (code_at(line, end) != keycap) {
      return i;
    }
  } else if (utf8::is_regional_indicator(c)) {
    if (end < line.size() && utf8::is_regional_indicator(code_at(line, end))) {
      end += utf8::decode(line, end).length;
    }
  } else if (!utf8::is_emoji_base(c)
             && !(utf8::is_text_symbol(c)
                  && code_at(line, end) == emoji_presentation)) {
    return i;
  }
  while (end < line.size() && utf8::is_emoji_component(code_at(line, end))) {
    end += utf8::decode(line, end).length;
  }
  return end;
}

} // namespace

size_t match_emoji(std::string_view text, size_t pos) {
  size_t end = match_emoji_element(text, pos);
  if (end == pos) {
    return pos;
  }
  while (end < text.size()) {
    size_t next = end;
    if (code_at(text, end) == zero_width_joiner) {
      next += utf8::decode(text, end).length;
      if (next >= text.size()) {
        break;
      }
    }
    size_t after = match_emoji_element(text, next);
    if (after == next) {
      break;
    }
    end = after;
  }
  return end;
}

} // namespace parley
