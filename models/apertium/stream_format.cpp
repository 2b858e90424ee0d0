#include "models/apertium/stream_format.hpp"

namespace parley::apertium {

namespace {

// The characters apertium-destxt escapes with a backslash.
constexpr std::string_view reserved = "\\[]^$/<>{}@";

// True when the character at `pos` follows an odd number of backslashes.
bool is_escaped(std::string_view text, size_t pos) {
  size_t backslashes = 0;
  while (pos > backslashes && text[pos - backslashes - 1] == '\\')
    ++backslashes;
  return backslashes % 2 == 1;
}

std::string without_nul(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (auto c : text)
    if (c != '\0')
      result += c;
  return result;
}

} // namespace

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
         || c == '\f';
}

std::string_view trim(std::string_view text) {
  size_t first = 0;
  while (first < text.size() && is_space(text[first]))
    ++first;
  size_t last = text.size();
  while (last > first && is_space(text[last - 1]))
    --last;
  return text.substr(first, last - first);
}

std::string escape_text(std::string_view text) {
  auto clean = without_nul(text);
  std::string result;
  result.reserve(clean.size() + clean.size() / 8);
  for (auto c : trim(clean)) {
    if (c == '~') {
      // The pipeline eats `~` even when escaped; a superblank passes verbatim.
      result += "[~]";
    } else {
      if (reserved.find(c) != std::string_view::npos)
        result += '\\';
      result += c;
    }
  }
  return result;
}

std::string encode_segment(std::string_view text) {
  auto result = escape_text(text);
  result += end_marker;
  return result;
}

std::string unescape_stream(std::string_view stream) {
  std::string result;
  result.reserve(stream.size());
  bool in_superblank = false;
  for (size_t i = 0; i < stream.size(); ++i) {
    auto c = stream[i];
    if (c == '\\' && i + 1 < stream.size())
      result += stream[++i];
    else if (c == '[' && !in_superblank)
      in_superblank = true;
    else if (c == ']' && in_superblank)
      in_superblank = false;
    else
      result += c;
  }
  return result;
}

std::string_view strip_end_marker(std::string_view stream) {
  auto rest = stream;
  while (!rest.empty() && is_space(rest.back()))
    rest.remove_suffix(1);
  auto n = rest.size();
  if (n < 2 || rest.substr(n - 2) != "[]" || is_escaped(rest, n - 2))
    return rest;
  rest.remove_suffix(2);
  if (!rest.empty() && rest.back() == '.' && !is_escaped(rest, rest.size() - 1))
    rest.remove_suffix(1);
  return rest;
}

std::string decode_segment(std::string_view output, std::string_view original) {
  auto clean = without_nul(original);
  auto core = trim(clean);
  if (core.empty())
    return clean;
  auto leading = std::string_view{clean}.substr(0, core.data() - clean.data());
  auto trailing = std::string_view{clean}.substr(leading.size() + core.size());
  std::string result{leading};
  result += trim(unescape_stream(strip_end_marker(output)));
  result += trailing;
  return result;
}

} // namespace parley::apertium
