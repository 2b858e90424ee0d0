#pragma once

// Cutting one line of text into sentences.

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "models/text/protected_spans.hpp"

namespace parley {

/// Byte ranges [begin, end) that cover `line` from start to end, one per
/// sentence; the whitespace between sentences starts the next range. A
/// sentence ends after . ! ? … (and closing quotes or brackets) followed by
/// whitespace or the end of the line, or after 。！？ and other marks of
/// scripts written without spaces. Never inside `spans` (so "3.14" and URLs
/// stay whole), nor after a known abbreviation ("e.g.", "Dr.") or an
/// initial ("J. Smith"), nor before a lower-case word ("etc. and so on",
/// "\"Stop!\" she said").
/// Long sentences are not cut further.
std::vector<std::pair<size_t, size_t>>
split_sentences(std::string_view line, const std::vector<text_span>& spans);

} // namespace parley
