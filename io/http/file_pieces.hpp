#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

/// The kinds of file LibreTranslate's `/translate_file` translates.
enum class file_kind {
  /// `.txt`: plain text.
  text,
  /// `.html`, `.htm`: markup, whose tags stay byte for byte.
  html,
  /// `.srt`: subtitles, of which only the cue text is translated.
  subtitles,
};

/// The extensions served, as `/frontend/settings` lists them.
const std::vector<std::string>& translatable_file_extensions();

/// The kind of a file named `name`, by its extension in any case.
std::optional<file_kind> file_kind_of(std::string_view name);

/// The content type a file of `kind` is downloaded as.
const char* content_type_of(file_kind kind);

/// A run of a file, to translate or to keep.
struct file_piece {
  std::string text;
  bool translate = false;
};

/// Cuts `content` into pieces whose concatenation is `content`. A piece to
/// translate is never blank and holds at most `max_chars` code points
/// (`content` must be UTF-8): a longer text is cut at a paragraph, line,
/// sentence or word break, HTML between elements (never inside a tag, a
/// comment, a script or a style), whichever comes latest within the limit,
/// and at a code point only when nothing better is there. Whitespace at the
/// ends of a piece is kept as it is; a subtitle's index, timestamps and blank
/// lines too.
std::vector<file_piece> file_pieces(file_kind kind, std::string_view content,
                                    size_t max_chars);

/// A name safe in a URL and a header: the last path component of `name`,
/// with letters, digits, `.`, `-` and `_` kept, other bytes made `_`, no
/// leading dot, and at most 128 bytes (its end kept, with the extension).
std::string safe_file_name(std::string_view name);

} // namespace parley
