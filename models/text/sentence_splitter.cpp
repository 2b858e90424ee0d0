#include "models/text/sentence_splitter.hpp"

#include <string>

#include "models/text/utf8.hpp"

namespace parley {
namespace {

// Abbreviations (lower case, inner dots kept) after which a period rarely
// ends a sentence. "etc." is missing on purpose: it often does.
constexpr std::string_view abbreviations[] = {
    "mr",  "mrs", "ms",   "dr",  "prof", "sr",  "sra",    "jr",  "st",
    "vs",  "e.g", "i.e",  "cf",  "fig",  "al",  "approx", "ca",  "z.b",
    "bzw", "mme", "mlle", "dra", "nr",   "vol", "pp",     "resp"};

bool ends_sentence_before_space(char32_t c) {
  return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x061F
         || c == 0x06D4 || c == 0x0964 || c == 0x0965 || c == 0x0589
         || c == 0x203C || (c >= 0x2047 && c <= 0x2049);
}

// Marks of scripts written without spaces between sentences.
bool ends_sentence_anywhere(char32_t c) {
  return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF61 || c == 0x1362
         || c == 0x104B;
}

bool is_closer(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D
         || c == 0x2019 || c == 0xBB || c == 0x203A || c == 0x300D
         || c == 0x300F || c == 0x3011 || c == 0xFF09;
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// True when the period at `dot` closes an abbreviation or an initial.
bool is_abbreviation(std::string_view line, size_t dot) {
  size_t begin = dot;
  while (begin > 0
         && (is_ascii_letter(line[begin - 1]) || line[begin - 1] == '.')) {
    --begin;
  }
  auto word = line.substr(begin, dot - begin);
  if (word.empty()) {
    return false;
  }
  if (begin > 0 && utf8::is_word_char(utf8::decode(line, begin - 1).value)) {
    return false;
  }
  if (word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z') {
    return true;
  }
  std::string lower;
  for (auto c : word) {
    lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (auto abbreviation : abbreviations) {
    if (lower == abbreviation) {
      return true;
    }
  }
  return false;
}

bool lower_case_word_follows(std::string_view line, size_t pos) {
  while (pos < line.size() && utf8::is_space(utf8::decode(line, pos).value)) {
    pos += utf8::decode(line, pos).length;
  }
  return pos < line.size() && line[pos] >= 'a' && line[pos] <= 'z';
}

} // namespace

std::vector<std::pair<size_t, size_t>>
split_sentences(std::string_view line, const std::vector<text_span>& spans) {
  std::vector<std::pair<size_t, size_t>> ranges;
  size_t start = 0;
  size_t next_span = 0;
  auto span_starts_at = [&](size_t pos) {
    return next_span < spans.size() && spans[next_span].begin == pos;
  };
  size_t i = 0;
  while (i < line.size()) {
    if (span_starts_at(i)) {
      i = spans[next_span++].end;
      continue;
    }
    auto c = utf8::decode(line, i);
    bool needs_space = ends_sentence_before_space(c.value);
    bool anywhere = ends_sentence_anywhere(c.value);
    if (!needs_space && !anywhere) {
      i += c.length;
      continue;
    }
    size_t end = i + c.length;
    size_t marks = 1;
    while (end < line.size() && !span_starts_at(end)) {
      auto more = utf8::decode(line, end);
      if (ends_sentence_before_space(more.value)
          || ends_sentence_anywhere(more.value)) {
        anywhere = anywhere || ends_sentence_anywhere(more.value);
        ++marks;
      } else if (!is_closer(more.value)) {
        break;
      }
      end += more.length;
    }
    bool boundary = anywhere;
    if (!boundary) {
      boundary =
          end == line.size() || utf8::is_space(utf8::decode(line, end).value);
      if (boundary && c.value == '.' && marks == 1) {
        boundary = !is_abbreviation(line, i);
      }
      if (boundary) {
        boundary = !lower_case_word_follows(line, end);
      }
    }
    if (boundary) {
      ranges.emplace_back(start, end);
      start = end;
    }
    i = end;
  }
  if (start < line.size()) {
    ranges.emplace_back(start, line.size());
  }
  return ranges;
}

} // namespace parley
