#pragma once

// Building a structured_text piece by piece: the chat text parser and the
// markup parser (markup_structure.cpp) share it.

#include <string_view>
#include <vector>

#include "models/text/protected_spans.hpp"
#include "models/text/text_structure.hpp"

namespace parley {

/// Builds a structured_text in text order: kept text and runs of sentences.
class structure_builder {
public:
  /// Chat text whole: code blocks kept, then line by line.
  structured_text build(std::string_view text);

  /// Text that comes back as is, between sentences.
  void keep(std::string_view text);

  /// Text whose sentences a model translates; `spans` (in order, within
  /// `run`) become placeholders. Spaces, emoji and markup at a sentence's
  /// edges stay outside it, and a stretch without a letter is kept.
  void add_run(std::string_view run, const std::vector<text_span>& spans);

  /// The text built so far.
  structured_text finish();

private:
  void add_lines(std::string_view text);
  void add_line(std::string_view line);
  void add_sentence(std::string_view line, size_t begin, size_t end,
                    const std::vector<text_span>& spans);
  void add_core(std::string_view line, size_t begin, size_t end,
                const std::vector<text_span>& spans);
  static bool has_word_char(std::string_view text);

  structured_text result_;
};

} // namespace parley
