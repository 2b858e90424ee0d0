#pragma once

// The little UTF-8 and Unicode knowledge the text structure needs: reading
// code points and telling letters from spaces, punctuation and emoji.

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::utf8 {

/// One code point and the bytes it takes.
struct code_point {
  char32_t value = 0;
  size_t length = 1;
};

/// The code point starting at byte `pos` of `text` (pos < text.size()). A
/// malformed sequence reads as U+FFFD of length 1, so scanning always moves.
code_point decode(std::string_view text, size_t pos);

/// Appends `c` to `out` in UTF-8.
void append(std::string& out, char32_t c);

/// ASCII whitespace, no-break space, the U+2000 spaces and the ideographic
/// space.
bool is_space(char32_t c);

/// A code point that starts an emoji on its own (😀, ❤, 🇫).
bool is_emoji_base(char32_t c);

/// A symbol with text presentation by default (©, ™, ↔, ▶) that is an emoji
/// when U+FE0F follows it.
bool is_text_symbol(char32_t c);

/// Code points that extend an emoji: variation selectors, skin tones, the
/// keycap mark and tag characters (subdivision flags).
bool is_emoji_component(char32_t c);

/// A regional indicator letter; two of them make a flag.
bool is_regional_indicator(char32_t c);

/// A letter of some script: what makes text worth translating. Digits,
/// punctuation, symbols, spaces and emoji are not.
bool is_word_char(char32_t c);

} // namespace parley::utf8
