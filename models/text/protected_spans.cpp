#include "models/text/protected_spans.hpp"

#include <algorithm>
#include <string>

#include "models/text/emoji.hpp"
#include "models/text/placeholders.hpp"
#include "models/text/utf8.hpp"

namespace parley {
namespace {

constexpr size_t fence_length = 3;
constexpr size_t max_fence_indent = 3;

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

size_t backtick_run(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && text[end] == '`') {
    ++end;
  }
  return end - pos;
}

// The start of the next run of at least `length` backticks from `from`.
size_t find_closing_run(std::string_view text, size_t from, size_t length) {
  while (true) {
    auto pos = text.find('`', from);
    if (pos == std::string_view::npos) {
      return pos;
    }
    auto run = backtick_run(text, pos);
    if (run >= length) {
      return pos;
    }
    from = pos + run;
  }
}

bool at_line_start(std::string_view text, size_t pos) {
  size_t indent = 0;
  while (pos > 0 && text[pos - 1] != '\n' && text[pos - 1] != '\r') {
    if (text[pos - 1] != ' ' || ++indent > max_fence_indent) {
      return false;
    }
    --pos;
  }
  return true;
}

// `code` within a line: a run of backticks closed by a run of the same
// length.
size_t match_inline_code(std::string_view line, size_t i) {
  auto run = backtick_run(line, i);
  size_t from = i + run;
  while (true) {
    auto pos = line.find('`', from);
    if (pos == std::string_view::npos) {
      return i;
    }
    auto closing = backtick_run(line, pos);
    if (closing == run) {
      return pos + closing;
    }
    from = pos + closing;
  }
}

bool starts_with_nocase(std::string_view text, size_t pos,
                        std::string_view prefix) {
  if (text.size() - pos < prefix.size()) {
    return false;
  }
  for (size_t k = 0; k < prefix.size(); ++k) {
    auto c = text[pos + k];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != prefix[k]) {
      return false;
    }
  }
  return true;
}

bool is_url_char(char c) {
  static constexpr std::string_view extra = "-._~:/?#[]@!$&'()*+,;=%";
  return is_ascii_alnum(c) || extra.find(c) != std::string_view::npos;
}

size_t match_url(std::string_view line, size_t i) {
  if (i > 0 && (is_ascii_alnum(line[i - 1]) || line[i - 1] == '.')) {
    return i;
  }
  static constexpr std::string_view schemes[] = {"https://", "http://",
                                                 "ftp://", "mailto:", "www."};
  size_t prefix = 0;
  for (auto scheme : schemes) {
    if (starts_with_nocase(line, i, scheme)) {
      prefix = scheme.size();
      break;
    }
  }
  if (prefix == 0) {
    return i;
  }
  size_t end = i + prefix;
  while (end < line.size() && is_url_char(line[end])) {
    ++end;
  }
  // Trailing punctuation belongs to the sentence, and a closing bracket only
  // to the URL when the URL opened it ("(see https://x.org/a_(b))").
  while (end > i + prefix) {
    auto url = line.substr(i, end - i);
    auto last = url.back();
    bool unbalanced_paren = last == ')'
                            && std::count(url.begin(), url.end(), '(')
                                   < std::count(url.begin(), url.end(), ')');
    bool unbalanced_bracket = last == ']'
                              && std::count(url.begin(), url.end(), '[')
                                     < std::count(url.begin(), url.end(), ']');
    bool punctuation =
        std::string_view{".,;:!?'\"*_"}.find(last) != std::string_view::npos;
    if (!(punctuation || unbalanced_paren || unbalanced_bracket)) {
      break;
    }
    --end;
  }
  bool has_body = false;
  for (size_t k = i + prefix; k < end; ++k) {
    has_body = has_body || is_ascii_alnum(line[k]);
  }
  return has_body ? end : i;
}

bool is_local_char(char c) {
  return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+'
         || c == '-';
}

size_t match_email(std::string_view line, size_t i) {
  if (!is_local_char(line[i]) || line[i] == '.'
      || (i > 0 && (is_local_char(line[i - 1]) || line[i - 1] == '@'))) {
    return i;
  }
  size_t at = i;
  while (at < line.size() && is_local_char(line[at])) {
    ++at;
  }
  if (at >= line.size() || line[at] != '@') {
    return i;
  }
  size_t end = at + 1;
  while (
      end < line.size()
      && (is_ascii_alnum(line[end]) || line[end] == '.' || line[end] == '-')) {
    ++end;
  }
  while (end > at + 1 && (line[end - 1] == '.' || line[end - 1] == '-')) {
    --end;
  }
  auto domain = line.substr(at + 1, end - at - 1);
  auto dot = domain.rfind('.');
  if (domain.empty() || !is_ascii_alnum(domain.front())
      || dot == std::string_view::npos || domain.size() - dot - 1 < 2) {
    return i;
  }
  for (auto c : domain.substr(dot + 1)) {
    if (is_digit(c) || c == '-') {
      return i;
    }
  }
  return end;
}

size_t match_mention(std::string_view line, size_t i) {
  if (line[i] != '@' || (i > 0 && is_local_char(line[i - 1]))) {
    return i;
  }
  size_t end = i + 1;
  while (end < line.size()
         && (is_ascii_alnum(line[end]) || line[end] == '_' || line[end] == '.'
             || line[end] == '-')) {
    ++end;
  }
  while (end > i + 1 && (line[end - 1] == '.' || line[end - 1] == '-')) {
    --end;
  }
  return end > i + 1 ? end : i;
}

// A '#' starting a word, followed by letters, digits or '_': "#urgent",
// "#C++" stops before "++". Not "a#b", nor "# Title" (a heading marker).
size_t match_hashtag(std::string_view line, size_t i) {
  if (line[i] != '#'
      || (i > 0 && !utf8::is_space(utf8::decode(line, i - 1).value)
          && line[i - 1] != '(' && line[i - 1] != '"'))
    return i;
  size_t end = i + 1;
  while (end < line.size()) {
    auto c = utf8::decode(line, end);
    if (!utf8::is_word_char(c.value) && c.value != U'_')
      break;
    end += c.length;
  }
  return end > i + 1 ? end : i;
}

bool is_identifier_char(char c) {
  return is_ascii_alnum(c) || c == '_' || c == '.' || c == '-';
}

// printf's "%s", "%1$s", "%-5.2f", "%ld", Python's "%(name)s", and Apple's
// "%@". "50% off" and "100%" are text: a conversion letter must follow.
size_t match_printf(std::string_view line, size_t i) {
  static constexpr std::string_view conversions = "sdifFeEgGxXoucpaA@";
  if (line[i] != '%')
    return i;
  size_t end = i + 1;
  if (end < line.size() && line[end] == '(') {
    auto close = line.find(')', end);
    if (close == std::string_view::npos || close == end + 1)
      return i;
    for (auto c : line.substr(end + 1, close - end - 1))
      if (!is_identifier_char(c))
        return i;
    end = close + 1;
  } else {
    size_t digits = end;
    while (digits < line.size() && is_digit(line[digits]))
      ++digits;
    if (digits > end && digits < line.size() && line[digits] == '$')
      end = digits + 1;
  }
  while (end < line.size()
         && std::string_view{"-+0#"}.find(line[end]) != std::string_view::npos
         && end - i < 8)
    ++end;
  while (end < line.size() && (is_digit(line[end]) || line[end] == '.'))
    ++end;
  while (end < line.size()
         && std::string_view{"hlLqjzt"}.find(line[end])
                != std::string_view::npos)
    ++end;
  if (end >= line.size()
      || conversions.find(line[end]) == std::string_view::npos)
    return i;
  ++end;
  // "%solution" is a word, not "%s" before "olution".
  if (is_ascii_alnum(line[end - 1]) && end < line.size()
      && is_ascii_alnum(line[end]))
    return i;
  return end;
}

// "{name}", "{0}", "{user.name}", "{count, plural}" is too rich to guess and
// stays text; "{{name}}" (Mustache, Handlebars) is one span.
size_t match_brace_placeholder(std::string_view line, size_t i) {
  if (line[i] != '{')
    return i;
  bool doubled = i + 1 < line.size() && line[i + 1] == '{';
  size_t begin = i + (doubled ? 2 : 1);
  size_t end = begin;
  while (end < line.size() && is_identifier_char(line[end]))
    ++end;
  if (end == begin)
    return i;
  auto close = doubled ? std::string_view{"}}"} : std::string_view{"}"};
  if (line.substr(end, close.size()) != close)
    return i;
  return end + close.size();
}

// Digits with separators between digit groups. Returns the end of the digit
// run and whether a separator was seen.
std::pair<size_t, bool> match_number(std::string_view line, size_t i) {
  static constexpr std::string_view separators = ".,:/-";
  size_t end = i;
  bool separated = false;
  while (end < line.size() && is_digit(line[end])) {
    ++end;
    if (end + 1 < line.size()
        && separators.find(line[end]) != std::string_view::npos
        && is_digit(line[end + 1])) {
      ++end;
      separated = true;
    }
  }
  return {end, separated};
}

} // namespace

std::vector<text_span> find_code_blocks(std::string_view text) {
  std::vector<text_span> blocks;
  size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find("```", pos);
    if (open == std::string_view::npos) {
      break;
    }
    auto run = backtick_run(text, open);
    auto close = find_closing_run(text, open + run, run);
    bool line_start = at_line_start(text, open);
    if (close == std::string_view::npos) {
      if (line_start) {
        blocks.push_back({open, text.size(), span_kind::code_block});
        break;
      }
      pos = open + run;
      continue;
    }
    auto end = close + backtick_run(text, close);
    auto inside = text.substr(open, close - open);
    bool multiline = inside.find_first_of("\r\n") != std::string_view::npos;
    if (line_start || multiline) {
      blocks.push_back({open, end, span_kind::code_block});
    }
    pos = end;
  }
  return blocks;
}

std::vector<text_span> find_protected_spans(std::string_view line) {
  std::vector<text_span> spans;
  size_t i = 0;
  auto add = [&](size_t end, span_kind kind) {
    spans.push_back({i, end, kind});
    i = end;
  };
  while (i < line.size()) {
    auto c = line[i];
    if (c == '`') {
      auto end = match_inline_code(line, i);
      if (end > i) {
        add(end, span_kind::inline_code);
      } else {
        i += backtick_run(line, i);
      }
      continue;
    }
    if (auto literal = match_placeholder(line, i)) {
      add(literal->end, span_kind::placeholder_literal);
      continue;
    }
    if (auto end = match_url(line, i); end > i) {
      add(end, span_kind::url);
      continue;
    }
    if (auto end = match_email(line, i); end > i) {
      add(end, span_kind::email);
      continue;
    }
    if (auto end = match_mention(line, i); end > i) {
      add(end, span_kind::mention);
      continue;
    }
    if (auto end = match_hashtag(line, i); end > i) {
      add(end, span_kind::hashtag);
      continue;
    }
    if (auto end =
            std::max(match_printf(line, i), match_brace_placeholder(line, i));
        end > i) {
      add(end, span_kind::format_placeholder);
      continue;
    }
    if (auto end = match_emoji(line, i); end > i) {
      add(end, span_kind::emoji);
      continue;
    }
    if (is_digit(c) && (i == 0 || !is_digit(line[i - 1]))) {
      auto [end, separated] = match_number(line, i);
      if (separated) {
        add(end, span_kind::number);
      } else {
        i = end;
      }
      continue;
    }
    i += utf8::decode(line, i).length;
  }
  return spans;
}

} // namespace parley
