#pragma once

// Recognising emoji sequences in UTF-8 text.

#include <cstddef>
#include <string_view>

namespace parley {

/// The end of the emoji sequence starting at byte `pos` of `text`, or `pos`
/// when none starts there. A sequence is one or more emoji, each with its
/// variation selectors, skin tones and tags, joined by ZWJ or simply
/// adjacent. Each of these is one sequence:
///   👨‍👩‍👧  🇫🇷  👍🏽  1️⃣  ❤️  "😀😀"
/// Text-style symbols (©, ™, ↔) count only with U+FE0F after them.
size_t match_emoji(std::string_view text, size_t pos);

} // namespace parley
