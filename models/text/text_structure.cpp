#include "models/text/text_structure.hpp"

#include <stdexcept>

#include "models/text/placeholders.hpp"
#include "models/text/protected_spans.hpp"
#include "models/text/sentence_splitter.hpp"
#include "models/text/structure_builder.hpp"
#include "models/text/utf8.hpp"

namespace parley {
namespace {

constexpr size_t max_marker_digits = 3;
constexpr size_t max_heading_level = 6;
constexpr std::string_view bullet = "\xE2\x80\xA2"; // •

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// The end of a list, quote or heading marker at the start of a line
// ("- ", "> > ", "12. ", "## "), or 0. A marker needs a space after it, so
// "*bold*" and "-5" are text.
size_t line_marker_end(std::string_view line) {
  size_t pos = 0;
  while (pos < line.size() && is_blank(line[pos])) {
    ++pos;
  }
  size_t end = 0;
  while (pos < line.size()) {
    size_t marker = pos;
    auto c = line[pos];
    if (c == '-' || c == '*' || c == '+' || c == '>') {
      ++marker;
    } else if (line.substr(pos, bullet.size()) == bullet) {
      marker += bullet.size();
    } else if (c == '#') {
      while (marker < line.size() && line[marker] == '#'
             && marker - pos < max_heading_level) {
        ++marker;
      }
    } else if (c >= '0' && c <= '9') {
      while (marker < line.size() && line[marker] >= '0' && line[marker] <= '9'
             && marker - pos < max_marker_digits) {
        ++marker;
      }
      if (marker < line.size()
          && (line[marker] == '.' || line[marker] == ')')) {
        ++marker;
      } else {
        break;
      }
    } else {
      break;
    }
    if (marker >= line.size() || !is_blank(line[marker])) {
      break;
    }
    while (marker < line.size() && is_blank(line[marker])) {
      ++marker;
    }
    pos = end = marker;
  }
  return end;
}

size_t previous_code_point(std::string_view text, size_t end) {
  size_t pos = end - 1;
  while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
    --pos;
  }
  return pos;
}

size_t line_break_length(std::string_view text, size_t pos) {
  if (text[pos] == '\r') {
    return pos + 1 < text.size() && text[pos + 1] == '\n' ? 2 : 1;
  }
  return text[pos] == '\n' ? 1 : 0;
}

} // namespace

structured_text structure_builder::build(std::string_view text) {
  size_t pos = 0;
  for (const auto& block : find_code_blocks(text)) {
    add_lines(text.substr(pos, block.begin - pos));
    keep(text.substr(block.begin, block.end - block.begin));
    pos = block.end;
  }
  add_lines(text.substr(pos));
  return finish();
}

structured_text structure_builder::finish() {
  return std::move(result_);
}

void structure_builder::keep(std::string_view text) {
  result_.gaps_.back() += text;
}

void structure_builder::add_lines(std::string_view text) {
  size_t start = 0;
  for (size_t pos = 0; pos < text.size();) {
    auto length = line_break_length(text, pos);
    if (length == 0) {
      ++pos;
      continue;
    }
    add_line(text.substr(start, pos - start));
    keep(text.substr(pos, length));
    pos += length;
    start = pos;
  }
  add_line(text.substr(start));
}

void structure_builder::add_line(std::string_view line) {
  auto marker = line_marker_end(line);
  keep(line.substr(0, marker));
  auto rest = line.substr(marker);
  add_run(rest, find_protected_spans(rest));
}

void structure_builder::add_run(std::string_view run,
                                const std::vector<text_span>& spans) {
  for (const auto& [begin, end] : split_sentences(run, spans)) {
    add_sentence(run, begin, end, spans);
  }
}

// Spaces, emoji and markup at the edges of a sentence stay outside it.
void structure_builder::add_sentence(std::string_view line, size_t begin,
                                     size_t end,
                                     const std::vector<text_span>& spans) {
  size_t b = begin;
  size_t e = end;
  for (bool changed = true; changed && b < e;) {
    changed = false;
    while (b < e && utf8::is_space(utf8::decode(line, b).value)) {
      b += utf8::decode(line, b).length;
    }
    while (b < e) {
      auto last = previous_code_point(line, e);
      if (!utf8::is_space(utf8::decode(line, last).value)) {
        break;
      }
      e = last;
    }
    for (const auto& span : spans) {
      if (span.kind != span_kind::emoji && span.kind != span_kind::markup) {
        continue;
      }
      if (span.begin == b && span.end <= e) {
        b = span.end;
        changed = true;
      } else if (span.end == e && span.begin >= b) {
        e = span.begin;
        changed = true;
      }
    }
  }
  keep(line.substr(begin, b - begin));
  add_core(line, b, e, spans);
  keep(line.substr(e, end - e));
}

void structure_builder::add_core(std::string_view line, size_t begin,
                                 size_t end,
                                 const std::vector<text_span>& spans) {
  auto core = line.substr(begin, end - begin);
  std::string model_text;
  std::vector<std::string> originals;
  bool has_words = false;
  size_t pos = begin;
  for (const auto& span : spans) {
    if (span.begin < begin || span.end > end) {
      continue;
    }
    has_words = has_words || has_word_char(line.substr(pos, span.begin - pos));
    model_text += line.substr(pos, span.begin - pos);
    model_text += placeholder(originals.size());
    originals.emplace_back(line.substr(span.begin, span.end - span.begin));
    pos = span.end;
  }
  has_words = has_words || has_word_char(line.substr(pos, end - pos));
  model_text += line.substr(pos, end - pos);
  // The restore check guards against text that reads as a placeholder only
  // once spans are replaced; such a sentence is kept rather than garbled.
  if (!has_words || restore_placeholders(model_text, originals) != core) {
    keep(core);
    return;
  }
  result_.sentences_.push_back(std::move(model_text));
  result_.originals_.push_back(std::move(originals));
  result_.gaps_.emplace_back();
}

bool structure_builder::has_word_char(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    auto c = utf8::decode(text, pos);
    if (utf8::is_word_char(c.value)) {
      return true;
    }
    pos += c.length;
  }
  return false;
}

structured_text structured_text::parse(std::string_view text) {
  return structure_builder{}.build(text);
}

const std::vector<std::string>& structured_text::sentences() const {
  return sentences_;
}

std::string
structured_text::rebuild(const std::vector<std::string>& translated) const {
  if (translated.size() != sentences_.size()) {
    throw std::invalid_argument(
        "structured_text: " + std::to_string(translated.size())
        + " translations for " + std::to_string(sentences_.size())
        + " sentences");
  }
  std::string out = gaps_[0];
  for (size_t i = 0; i < translated.size(); ++i) {
    out += restore_placeholders(translated[i], originals_[i]);
    out += gaps_[i + 1];
  }
  return out;
}

} // namespace parley
