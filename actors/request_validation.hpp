#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/string_view.hpp>

namespace parley {

/// Counts the code points of `text`; returns `npos` for invalid UTF-8
/// (overlong forms, surrogates and values above U+10FFFF included).
size_t utf8_length(caf::string_view text);

/// Checks a text to translate: not blank, valid UTF-8 without NUL, at most
/// `max_chars` code points. Returns an INVALID_REQUEST or MESSAGE_TOO_LONG
/// error, or none.
caf::error validate_text(caf::string_view text, size_t max_chars);

/// Returns `tag` lowercased with `_` turned into `-` when it is a language
/// tag (`en`, `pt-BR`, `zho_Hans`), or an empty string when it is not.
std::string normalize_language_tag(caf::string_view tag);

/// Removes the first `x` from the languages `xs`; false when it was not
/// there (an answer for a language no longer awaited).
bool take(std::vector<std::string>& xs, const std::string& x);

} // namespace parley
