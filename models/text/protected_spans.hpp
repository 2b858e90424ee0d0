#pragma once

// Finding the parts of a text a translation model must not touch.

#include <cstddef>
#include <string_view>
#include <vector>

namespace parley {

/// What a protected span holds.
enum class span_kind {
  /// Blocks between ``` fences, kept out of translation whole.
  code_block = 1,
  /// `code` within a line.
  inline_code,
  /// http://, https://, ftp://, mailto: or www. addresses.
  url,
  /// user@example.org.
  email,
  /// A chat @mention: a user name is never translated.
  mention,
  /// An emoji sequence: ZWJ sequences, flags, keycaps, skin tones.
  emoji,
  /// A number with separators (3.14, 1,000, 12:30, 2024-01-05). Bare
  /// integers stay in the sentence, since "1 apple" and "3 apples" need
  /// them for agreement and models copy plain digits reliably.
  number,
  /// A #hashtag: a tag is a name, whatever the language around it.
  hashtag,
  /// A format placeholder of a message catalogue: `%s`, `%1$s`, `%.2f`,
  /// `%(name)s`, `{name}`, `{0}`, `{{name}}`.
  format_placeholder,
  /// Markup in an HTML or XML text: a tag, an entity, a comment, or an
  /// element kept whole (`<code>…</code>`).
  markup,
  /// Text that already looks like a placeholder ("[[0]]"), protected so the
  /// model's placeholders stay unambiguous.
  placeholder_literal,
};

/// A byte range [begin, end) of a text.
struct text_span {
  size_t begin = 0;
  size_t end = 0;
  span_kind kind = span_kind::url;
};

/// The fenced code blocks of `text`, in order. A fence is a run of three or
/// more backticks; it opens a block at the start of a line (after up to three
/// spaces), or anywhere when its closing run comes on a later line. The
/// block runs to the end of the next run of at least as many backticks, or
/// to the end of the text when none closes it.
std::vector<text_span> find_code_blocks(std::string_view text);

/// The protected spans within one line (no line breaks), in order and not
/// overlapping.
std::vector<text_span> find_protected_spans(std::string_view line);

} // namespace parley
