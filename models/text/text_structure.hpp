#pragma once

// The structure of a text around the sentences a model translates: line and
// paragraph breaks, list markers, code blocks, and spans that must come
// back unchanged (URLs, e-mail addresses, @mentions, emoji, inline code,
// formatted numbers).

#include <string>
#include <string_view>
#include <vector>

#include "messages/translation.hpp"

namespace parley {

/// A text cut into the sentences a model translates, with everything else
/// kept aside.
///
/// Every line break is a boundary: a sentence never spans two lines, so
/// line and paragraph breaks (\n, \r\n, \r) come back exactly where they
/// were. Fenced code blocks, list and quote markers at the start of a line,
/// the spaces around sentences, emoji at the edges of a sentence, and any
/// stretch without a letter (a line that is only a URL, "1.", "👍") stay out
/// of the model. Protected spans inside a sentence become placeholders "[[N]]"
/// (see placeholders.hpp).
class structured_text {
public:
  /// Cuts `text` (UTF-8) into sentences.
  static structured_text parse(std::string_view text);

  /// Cuts `text` written in `markup` into sentences: plain text as above;
  /// HTML and XML by their text nodes, with tags, entities and comments as
  /// placeholders inside a sentence and kept elements (`code`, `pre`,
  /// `script`, `style`, `translate="no"`, `markup.ignore_tags`) whole. Tags
  /// that end a block (`<p>`, `<li>`, `<br>`, ...) end a sentence. See
  /// markup_structure.cpp.
  static structured_text parse(std::string_view text,
                               const text_markup& markup);

  /// What the model sees, in order; protected spans inside a sentence are
  /// replaced by placeholders.
  const std::vector<std::string>& sentences() const;

  /// The text again, with sentence i replaced by translated[i] (same count;
  /// throws std::invalid_argument otherwise), placeholders restored to their
  /// original spans, and separators (spaces, newlines, paragraph breaks) and
  /// untranslated blocks (code fences, a line that is only a URL, ...)
  /// exactly as in the input. Placeholders the translation lost are appended
  /// to its sentence, duplicates are restored once, and invented ones are
  /// dropped, so every protected span appears exactly once.
  std::string rebuild(const std::vector<std::string>& translated) const;

private:
  friend class structure_builder;

  std::vector<std::string> sentences_;
  /// The original spans of sentence i, indexed by placeholder number.
  std::vector<std::vector<std::string>> originals_;
  /// The text between sentences: gaps_[0] sentence 0 gaps_[1] ... gaps_[n].
  std::vector<std::string> gaps_{std::string{}};
};

} // namespace parley
