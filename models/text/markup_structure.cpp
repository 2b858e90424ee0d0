// HTML and XML cut into the sentences a model translates.
//
// The parser is deliberately forgiving: it reads tags, comments, entities and
// text, never builds a tree, and never fails. Whatever it does not read as
// markup is text; whatever it does comes back byte for byte. Inline tags
// (`<a>`, `<b>`, ...) stay inside their sentence as placeholders, so the model
// can move them with the words they wrap; block tags end a sentence.

#include <algorithm>
#include <set>
#include <string>

#include "models/text/structure_builder.hpp"
#include "models/text/text_structure.hpp"

namespace parley {
namespace {

/// HTML elements that sit inside a sentence.
const std::set<std::string>& html_inline() {
  static const std::set<std::string> names{
      "a",    "abbr",  "b",    "bdi",    "bdo",    "big",  "cite",
      "code", "data",  "del",  "dfn",    "em",     "font", "i",
      "img",  "ins",   "kbd",  "label",  "mark",   "q",    "s",
      "samp", "small", "span", "strike", "strong", "sub",  "sup",
      "time", "tt",    "u",    "var",    "wbr"};
  return names;
}

/// HTML elements whose content is never translated.
const std::set<std::string>& html_kept() {
  static const std::set<std::string> names{"code",     "pre", "script", "style",
                                           "textarea", "svg", "math"};
  return names;
}

/// HTML elements without an end tag.
const std::set<std::string>& html_void() {
  static const std::set<std::string> names{
      "area",  "base", "br",   "col",   "embed",  "hr",    "img",
      "input", "link", "meta", "param", "source", "track", "wbr"};
  return names;
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':'
         || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/// One piece of markup read at a '<' or '&'.
struct markup_token {
  enum kind_t { none, start_tag, end_tag, other };
  kind_t kind = none;
  size_t end = 0;
  std::string name;
  bool self_closing = false;
  bool translate_no = false;
};

/// The value of attribute `name` in a tag's attribute text, lower-cased, or
/// "" when absent.
std::string attribute(std::string_view attributes, std::string_view name) {
  for (size_t pos = 0; pos < attributes.size();) {
    while (pos < attributes.size() && !is_name_char(attributes[pos]))
      ++pos;
    size_t begin = pos;
    while (pos < attributes.size() && is_name_char(attributes[pos]))
      ++pos;
    std::string key;
    for (auto c : attributes.substr(begin, pos - begin))
      key += ascii_lower(c);
    while (pos < attributes.size() && is_blank(attributes[pos]))
      ++pos;
    if (pos >= attributes.size() || attributes[pos] != '=') {
      if (key == name)
        return "";
      continue;
    }
    ++pos;
    while (pos < attributes.size() && is_blank(attributes[pos]))
      ++pos;
    std::string value;
    if (pos < attributes.size()
        && (attributes[pos] == '"' || attributes[pos] == '\'')) {
      auto quote = attributes[pos++];
      auto close = attributes.find(quote, pos);
      if (close == std::string_view::npos)
        close = attributes.size();
      value = std::string{attributes.substr(pos, close - pos)};
      pos = close + 1;
    } else {
      begin = pos;
      while (pos < attributes.size() && !is_blank(attributes[pos]))
        ++pos;
      value = std::string{attributes.substr(begin, pos - begin)};
    }
    if (key == name) {
      std::transform(value.begin(), value.end(), value.begin(), ascii_lower);
      return value;
    }
  }
  return "";
}

/// The end of the construct `<!--`…`-->`, `<![CDATA[`…`]]>`, `<!`…`>` or
/// `<?`…`?>` at `pos`, or `pos` when none is there or it does not close.
size_t special_end(std::string_view text, size_t pos) {
  auto closed_by = [&](std::string_view open, std::string_view close) {
    if (text.substr(pos, open.size()) != open)
      return pos;
    auto at = text.find(close, pos + open.size());
    return at == std::string_view::npos ? pos : at + close.size();
  };
  for (auto [open, close] :
       {std::pair<std::string_view, std::string_view>{"<!--", "-->"},
        {"<![CDATA[", "]]>"},
        {"<?", "?>"},
        {"<!", ">"}}) {
    if (text.substr(pos, open.size()) == open)
      return closed_by(open, close);
  }
  return pos;
}

/// Reads the markup at `pos` ('<' or '&'); kind `none` when it is text.
markup_token read_token(std::string_view text, size_t pos, bool html) {
  markup_token token;
  if (text[pos] == '&') {
    size_t end = pos + 1;
    if (end < text.size() && text[end] == '#')
      ++end;
    size_t name = end;
    while (end < text.size() && end - name < 32
           && ((text[end] >= 'a' && text[end] <= 'z')
               || (text[end] >= 'A' && text[end] <= 'Z')
               || (text[end] >= '0' && text[end] <= '9')))
      ++end;
    if (end > name && end < text.size() && text[end] == ';') {
      token.kind = markup_token::other;
      token.end = end + 1;
    }
    return token;
  }
  if (auto end = special_end(text, pos); end > pos) {
    token.kind = markup_token::other;
    token.end = end;
    return token;
  }
  size_t cursor = pos + 1;
  bool closing = cursor < text.size() && text[cursor] == '/';
  if (closing)
    ++cursor;
  size_t name_begin = cursor;
  while (cursor < text.size() && is_name_char(text[cursor]))
    ++cursor;
  if (cursor == name_begin)
    return token;
  // The tag ends at the first '>' outside quoted attribute values.
  char quote = 0;
  size_t end = cursor;
  for (; end < text.size(); ++end) {
    auto c = text[end];
    if (quote != 0) {
      if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    } else if (c == '<') {
      return token;
    }
  }
  if (end >= text.size())
    return token;
  for (auto c : text.substr(name_begin, cursor - name_begin))
    token.name += html ? ascii_lower(c) : c;
  token.kind = closing ? markup_token::end_tag : markup_token::start_tag;
  token.end = end + 1;
  token.self_closing = text[end - 1] == '/';
  auto attributes = text.substr(cursor, end - cursor);
  token.translate_no = attribute(attributes, "translate") == "no";
  if (html) {
    auto classes = " " + attribute(attributes, "class") + " ";
    // Fediverse servers (Mastodon and others) link hashtags with
    // rel="tag" and mentions with class "mention": names, split across
    // spans ("#<span>urgent</span>"), never words to translate.
    auto rel = " " + attribute(attributes, "rel") + " ";
    bool tag_or_mention =
        token.name == "a"
        && (rel.find(" tag ") != std::string::npos
            || classes.find(" mention ") != std::string::npos
            || classes.find(" hashtag ") != std::string::npos);
    token.translate_no = token.translate_no || tag_or_mention
                         || classes.find(" notranslate ") != std::string::npos;
  }
  return token;
}

class markup_parser {
public:
  markup_parser(std::string_view text, const text_markup& markup)
      : text_(text), html_(markup.format == text_format::html) {
    if (html_)
      kept_ = html_kept();
    for (const auto& tag : markup.ignore_tags)
      kept_.insert(tag);
  }

  structured_text parse() {
    size_t pos = 0;
    while (pos < text_.size()) {
      auto c = text_[pos];
      if (c != '<' && c != '&') {
        ++pos;
        continue;
      }
      auto token = read_token(text_, pos, html_);
      if (token.kind == markup_token::none) {
        ++pos;
        continue;
      }
      if (token.kind == markup_token::start_tag && !token.self_closing
          && !(html_ && html_void().count(token.name) > 0)
          && (kept_.count(token.name) > 0 || token.translate_no))
        token.end = element_end(token.name, token.end);
      if (ends_sentence(token, pos))
        end_run(pos, token.end);
      else
        markup_.push_back({pos, token.end, span_kind::markup});
      pos = token.end;
    }
    end_run(text_.size(), text_.size());
    return builder_.finish();
  }

private:
  /// The end of the element named `name` whose start tag ends at `from`:
  /// past its matching end tag, or the end of the text.
  size_t element_end(const std::string& name, size_t from) const {
    int depth = 1;
    for (size_t pos = text_.find('<', from); pos != std::string_view::npos;
         pos = text_.find('<', pos + 1)) {
      auto token = read_token(text_, pos, html_);
      if (token.name != name || token.self_closing)
        continue;
      if (token.kind == markup_token::start_tag)
        ++depth;
      else if (token.kind == markup_token::end_tag && --depth == 0)
        return token.end;
    }
    return text_.size();
  }

  bool ends_sentence(const markup_token& token, size_t begin) const {
    if (token.kind == markup_token::other)
      return false;
    if (html_)
      return html_inline().count(token.name) == 0;
    // XML says nothing of inline elements: a tag with words right before
    // and right after it sits inside a sentence.
    return !(has_word_before(begin) && has_word_after(token.end));
  }

  bool has_word_before(size_t pos) const {
    while (pos > 0 && is_blank(text_[pos - 1]))
      --pos;
    return pos > 0 && text_[pos - 1] != '>';
  }

  bool has_word_after(size_t pos) const {
    while (pos < text_.size() && is_blank(text_[pos]))
      ++pos;
    return pos < text_.size() && text_[pos] != '<';
  }

  /// Hands the text from the last boundary to `end` to the builder, its
  /// markup and chat spans protected, and keeps [end, resume).
  void end_run(size_t end, size_t resume) {
    auto run = text_.substr(run_begin_, end - run_begin_);
    std::vector<text_span> spans;
    size_t pos = run_begin_;
    auto add_text_spans = [&](size_t until) {
      auto piece = text_.substr(pos, until - pos);
      for (auto span : find_protected_spans(piece)) {
        span.begin += pos - run_begin_;
        span.end += pos - run_begin_;
        spans.push_back(span);
      }
    };
    for (const auto& span : markup_) {
      add_text_spans(span.begin);
      spans.push_back(
          {span.begin - run_begin_, span.end - run_begin_, span_kind::markup});
      pos = span.end;
    }
    add_text_spans(end);
    builder_.add_run(run, spans);
    builder_.keep(text_.substr(end, resume - end));
    markup_.clear();
    run_begin_ = resume;
  }

  std::string_view text_;
  bool html_;
  std::set<std::string> kept_;
  structure_builder builder_;
  size_t run_begin_ = 0;
  /// The markup of the current run, in text order.
  std::vector<text_span> markup_;
};

} // namespace

structured_text structured_text::parse(std::string_view text,
                                       const text_markup& markup) {
  if (markup.format == text_format::plain)
    return parse(text);
  return markup_parser{text, markup}.parse();
}

} // namespace parley
