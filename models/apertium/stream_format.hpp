#pragma once

#include <string>
#include <string_view>

/// Conversion between plain text and the Apertium stream format for one
/// null-flush segment. Pure code: no processes involved.
namespace parley::apertium {

/// The marker appended after the text, as apertium-destxt does: a full stop
/// and an empty superblank. It improves the last sentence's translation.
constexpr std::string_view end_marker = ".[]";

/// Returns `text` without NUL bytes, its reserved characters escaped, `~`
/// wrapped in a superblank, and without leading and trailing whitespace.
std::string escape_text(std::string_view text);

/// Returns the segment to send for `text`: `escape_text(text)` followed by
/// `end_marker`. The NUL terminator is not included.
std::string encode_segment(std::string_view text);

/// Returns `stream` with `\X` turned into `X` and each unescaped superblank
/// `[...]` replaced by its (unescaped) content.
std::string unescape_stream(std::string_view stream);

/// Removes the trailing `end_marker` (the `[]` and the full stop before it)
/// from pipeline output; returns `stream` minus trailing whitespace when the
/// marker is not there.
std::string_view strip_end_marker(std::string_view stream);

/// Turns the pipeline output for `encode_segment(original)` back into plain
/// text: strips the marker, unescapes, trims, and restores the leading and
/// trailing whitespace of `original`.
std::string decode_segment(std::string_view output, std::string_view original);

/// Returns true for the ASCII whitespace characters.
bool is_space(char c);

/// Returns `text` without leading and trailing whitespace.
std::string_view trim(std::string_view text);

} // namespace parley::apertium
