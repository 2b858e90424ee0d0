#include "models/text/placeholders.hpp"

namespace parley {
namespace {

constexpr std::string_view fullwidth_open = "\xEF\xBC\xBB";  // ［
constexpr std::string_view fullwidth_close = "\xEF\xBC\xBD"; // ］
constexpr size_t max_index_digits = 6;

// Advances `pos` past `ascii` or its fullwidth form; false if neither is
// there.
bool take_bracket(std::string_view text, size_t& pos, char ascii,
                  std::string_view fullwidth) {
  if (pos < text.size() && text[pos] == ascii) {
    ++pos;
    return true;
  }
  if (text.substr(pos, fullwidth.size()) == fullwidth) {
    pos += fullwidth.size();
    return true;
  }
  return false;
}

void skip_spaces(std::string_view text, size_t& pos) {
  while (pos < text.size() && text[pos] == ' ') {
    ++pos;
  }
}

bool tidy_after(std::string_view text, size_t pos) {
  if (pos >= text.size()) {
    return true;
  }
  auto c = text[pos];
  return c == ' ' || c == '.' || c == ',' || c == '!' || c == '?' || c == ';'
         || c == ':';
}

} // namespace

std::string placeholder(size_t index) {
  return "[[" + std::to_string(index) + "]]";
}

std::optional<placeholder_match> match_placeholder(std::string_view text,
                                                   size_t pos) {
  if (!take_bracket(text, pos, '[', fullwidth_open)) {
    return std::nullopt;
  }
  skip_spaces(text, pos);
  if (!take_bracket(text, pos, '[', fullwidth_open)) {
    return std::nullopt;
  }
  skip_spaces(text, pos);
  size_t digits = 0;
  size_t index = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (++digits > max_index_digits) {
      return std::nullopt;
    }
    index = index * 10 + static_cast<size_t>(text[pos] - '0');
    ++pos;
  }
  if (digits == 0) {
    return std::nullopt;
  }
  skip_spaces(text, pos);
  if (!take_bracket(text, pos, ']', fullwidth_close)) {
    return std::nullopt;
  }
  skip_spaces(text, pos);
  if (!take_bracket(text, pos, ']', fullwidth_close)) {
    return std::nullopt;
  }
  return placeholder_match{index, pos};
}

std::string restore_placeholders(std::string_view translated,
                                 const std::vector<std::string>& originals) {
  std::string out;
  out.reserve(translated.size());
  std::vector<bool> used(originals.size(), false);
  size_t pos = 0;
  while (pos < translated.size()) {
    auto match = match_placeholder(translated, pos);
    if (!match) {
      out += translated[pos++];
      continue;
    }
    if (match->index < originals.size() && !used[match->index]) {
      out += originals[match->index];
      used[match->index] = true;
      pos = match->end;
      continue;
    }
    // Dropping "x [[9]] y" must leave "x y", not "x  y".
    pos = match->end;
    if (!out.empty() && out.back() == ' ' && tidy_after(translated, pos)) {
      out.pop_back();
    } else if (out.empty() && pos < translated.size()
               && translated[pos] == ' ') {
      ++pos;
    }
  }
  for (size_t i = 0; i < originals.size(); ++i) {
    if (used[i]) {
      continue;
    }
    if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
    out += originals[i];
  }
  return out;
}

} // namespace parley
