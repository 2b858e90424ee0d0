#include "io/http/file_pieces.hpp"

#include <algorithm>
#include <cctype>

namespace parley {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
         || c == '\v';
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool starts_with_nocase(std::string_view text, size_t at,
                        std::string_view prefix) {
  if (text.size() - at < prefix.size())
    return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[at + i]) != prefix[i])
      return false;
  return true;
}

/// The bytes of the first `max_chars` code points of `text`.
size_t prefix_bytes(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80
        && chars++ == max_chars)
      return i;
  return text.size();
}

/// The best place to cut `text` so far: the highest rank, the latest among
/// equals, preferring places in the second half of the limit so that no
/// piece comes out tiny.
class best_place {
public:
  explicit best_place(size_t limit) : limit_(limit) {
  }

  void offer(size_t at, int rank) {
    if (at == 0 || at > limit_ || rank <= 0)
      return;
    auto& best = at * 2 >= limit_ ? late_ : any_;
    if (rank >= best.rank)
      best = {rank, at};
  }

  /// The place chosen; the limit itself when none was offered.
  size_t chosen() const {
    if (late_.rank > 0)
      return late_.at;
    return any_.rank > 0 ? any_.at : limit_;
  }

private:
  struct place {
    int rank = 0;
    size_t at = 0;
  };
  size_t limit_;
  place late_;
  place any_;
};

/// A text's places: before a run of whitespace, best when it holds a blank
/// line, then a line break, then after a sentence's end.
size_t text_cut(std::string_view text, size_t limit) {
  best_place best{limit};
  for (size_t at = 1; at <= limit && at < text.size(); ++at) {
    if (!is_space(text[at]) || is_space(text[at - 1]))
      continue;
    size_t breaks = 0;
    for (size_t i = at; i < text.size() && is_space(text[i]); ++i)
      breaks += text[i] == '\n';
    char before = text[at - 1];
    best.offer(at, breaks >= 2                                       ? 4
                   : breaks == 1                                     ? 3
                   : before == '.' || before == '!' || before == '?' ? 2
                                                                     : 1);
  }
  return best.chosen();
}

/// The name of the tag starting at `text[at]` (`<`), in lower case.
std::string tag_name(std::string_view text, size_t at) {
  size_t i = at + 1;
  if (i < text.size() && text[i] == '/')
    ++i;
  std::string name;
  while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i])))
    name += lower(text[i++]);
  return name;
}

bool ends_a_block(const std::string& name, bool closing) {
  static const std::vector<std::string> blocks = {
      "p",    "div",     "li",         "ul",     "ol",     "h1",    "h2",
      "h3",   "h4",      "h5",         "h6",     "tr",     "table", "td",
      "th",   "section", "article",    "header", "footer", "nav",   "aside",
      "main", "figure",  "blockquote", "pre",    "dl",     "dt",    "dd",
      "form", "head",    "body",       "title"};
  if (!closing)
    return name == "br" || name == "hr";
  return std::find(blocks.begin(), blocks.end(), name) != blocks.end();
}

/// HTML's places, never inside a tag, comment, script or style: after an
/// element's end that ends a block, after any tag or comment, before
/// whitespace in text.
size_t html_cut(std::string_view text, size_t limit) {
  best_place best{limit};
  size_t at = 0;
  while (at < text.size() && at <= limit) {
    char c = text[at];
    if (c == '<' && starts_with_nocase(text, at, "<!--")) {
      auto end = text.find("-->", at + 4);
      if (end == std::string_view::npos)
        break;
      at = end + 3;
      best.offer(at, 3);
      continue;
    }
    bool opens_tag = c == '<' && at + 1 < text.size()
                     && (std::isalpha(static_cast<unsigned char>(text[at + 1]))
                         || text[at + 1] == '/' || text[at + 1] == '!'
                         || text[at + 1] == '?');
    if (!opens_tag) {
      if (at > 0 && is_space(c) && !is_space(text[at - 1]))
        best.offer(at, 1);
      ++at;
      continue;
    }
    // To the tag's `>`, past quoted attribute values.
    size_t end = at + 1;
    char quote = 0;
    char last = 0;
    for (; end < text.size(); ++end) {
      char d = text[end];
      if (quote != 0) {
        if (d == quote)
          quote = 0;
      } else if ((d == '"' || d == '\'') && last == '=') {
        quote = d;
      } else if (d == '>') {
        break;
      }
      if (!is_space(d))
        last = d;
    }
    if (end >= text.size())
      break;
    auto name = tag_name(text, at);
    bool closing = text[at + 1] == '/';
    at = end + 1;
    if (!closing && (name == "script" || name == "style")) {
      // To the end of the raw text; the cut may follow its closing tag.
      auto close = "</" + name;
      size_t i = at;
      while (i < text.size() && !starts_with_nocase(text, i, close))
        ++i;
      at = i;
      continue;
    }
    best.offer(at, ends_a_block(name, closing) ? 4 : 3);
  }
  return best.chosen();
}

void add(std::vector<file_piece>& pieces, std::string_view text,
         bool translate) {
  if (text.empty())
    return;
  if (!translate && !pieces.empty() && !pieces.back().translate) {
    pieces.back().text += text;
    return;
  }
  pieces.push_back({std::string{text}, translate});
}

/// Cuts `rest` into pieces of at most `max_chars`, its whitespace at either
/// end of each kept.
void add_cut(std::vector<file_piece>& pieces, bool html, std::string_view rest,
             size_t max_chars) {
  while (!rest.empty()) {
    size_t lead = 0;
    while (lead < rest.size() && is_space(rest[lead]))
      ++lead;
    add(pieces, rest.substr(0, lead), false);
    rest.remove_prefix(lead);
    if (rest.empty())
      break;
    auto limit = prefix_bytes(rest, max_chars);
    auto end = limit == rest.size() ? limit
               : html               ? html_cut(rest, limit)
                                    : text_cut(rest, limit);
    auto chunk = rest.substr(0, end);
    auto kept = chunk.size();
    while (kept > 0 && is_space(chunk[kept - 1]))
      --kept;
    add(pieces, chunk.substr(0, kept), true);
    add(pieces, chunk.substr(kept), false);
    rest.remove_prefix(end);
  }
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_space);
}

bool is_number(std::string_view text) {
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

/// The line of `text` at `at`, with its line break.
std::string_view line_at(std::string_view text, size_t at) {
  auto end = text.find('\n', at);
  return text.substr(at, end == std::string_view::npos ? end : end + 1 - at);
}

/// Runs of cue text are cut and translated; indices, timestamps and blank
/// lines are kept.
void add_subtitles(std::vector<file_piece>& pieces, std::string_view content,
                   size_t max_chars) {
  size_t at = 0;
  const std::string_view bom = "\xEF\xBB\xBF";
  if (content.substr(0, bom.size()) == bom) {
    add(pieces, bom, false);
    at = bom.size();
  }
  auto is_timing = [](std::string_view line) {
    return line.find("-->") != std::string_view::npos;
  };
  size_t cue = std::string_view::npos;
  while (at < content.size()) {
    auto line = line_at(content, at);
    auto next = at + line.size();
    bool kept = is_blank(line) || is_timing(line)
                || (is_number(line) && next < content.size()
                    && is_timing(line_at(content, next)));
    if (kept) {
      if (cue != std::string_view::npos)
        add_cut(pieces, false, content.substr(cue, at - cue), max_chars);
      cue = std::string_view::npos;
      add(pieces, line, false);
    } else if (cue == std::string_view::npos) {
      cue = at;
    }
    at = next;
  }
  if (cue != std::string_view::npos)
    add_cut(pieces, false, content.substr(cue), max_chars);
}

} // namespace

const std::vector<std::string>& translatable_file_extensions() {
  static const std::vector<std::string> extensions = {".txt", ".html", ".htm",
                                                      ".srt"};
  return extensions;
}

std::optional<file_kind> file_kind_of(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos)
    return std::nullopt;
  std::string extension;
  for (auto c : name.substr(dot))
    extension += lower(c);
  if (extension == ".txt")
    return file_kind::text;
  if (extension == ".html" || extension == ".htm")
    return file_kind::html;
  if (extension == ".srt")
    return file_kind::subtitles;
  return std::nullopt;
}

const char* content_type_of(file_kind kind) {
  switch (kind) {
  case file_kind::html:
    return "text/html; charset=utf-8";
  case file_kind::subtitles:
    return "application/x-subrip; charset=utf-8";
  case file_kind::text:
    break;
  }
  return "text/plain; charset=utf-8";
}

std::vector<file_piece> file_pieces(file_kind kind, std::string_view content,
                                    size_t max_chars) {
  max_chars = std::max<size_t>(max_chars, 1);
  std::vector<file_piece> pieces;
  if (kind == file_kind::subtitles)
    add_subtitles(pieces, content, max_chars);
  else
    add_cut(pieces, kind == file_kind::html, content, max_chars);
  return pieces;
}

std::string safe_file_name(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos)
    name.remove_prefix(slash + 1);
  if (name.size() > 128)
    name.remove_prefix(name.size() - 128);
  std::string safe;
  for (auto c : name)
    safe += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'
                    || c == '_'
                ? c
                : '_';
  if (safe.empty() || safe.front() == '.')
    safe.insert(0, "file");
  return safe;
}

} // namespace parley
