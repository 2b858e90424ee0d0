#include "actors/request_validation.hpp"

#include <algorithm>

#include <cctype>

#include "messages/error_code.hpp"

namespace parley {

size_t utf8_length(caf::string_view text) {
  size_t count = 0;
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < text.size()) {
    auto lead = byte(i);
    size_t extra = 0;
    uint32_t code = 0;
    if (lead < 0x80) {
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code = lead & 0x07;
    } else {
      return std::string::npos;
    }
    if (i + extra >= text.size())
      return std::string::npos;
    for (size_t k = 1; k <= extra; ++k) {
      auto next = byte(i + k);
      if ((next & 0xC0) != 0x80)
        return std::string::npos;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < smallest[extra] || code > 0x10FFFF
        || (code >= 0xD800 && code <= 0xDFFF))
      return std::string::npos;
    i += extra + 1;
    ++count;
  }
  return count;
}

caf::error validate_text(caf::string_view text, size_t max_chars) {
  auto length = utf8_length(text);
  if (length == std::string::npos)
    return make_error(error_code::invalid_request, "text is not valid UTF-8");
  if (text.find('\0') != caf::string_view::npos)
    return make_error(error_code::invalid_request,
                      "text contains a NUL character");
  bool blank = true;
  for (auto c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) {
      blank = false;
      break;
    }
  if (blank)
    return make_error(error_code::invalid_request, "text is empty");
  if (length > max_chars)
    return make_error(error_code::message_too_long,
                      "text has " + std::to_string(length)
                          + " characters; the limit is "
                          + std::to_string(max_chars));
  return caf::none;
}

std::string normalize_language_tag(caf::string_view tag) {
  // primary subtag of 2-3 letters, then subtags of 2-8 alphanumerics
  std::string result;
  size_t subtag_length = 0;
  bool primary = true;
  for (auto c : tag) {
    auto u = static_cast<unsigned char>(c);
    if (c == '-' || c == '_') {
      if (subtag_length < 2 || (primary && subtag_length > 3))
        return {};
      primary = false;
      subtag_length = 0;
      result += '-';
      continue;
    }
    if (primary ? !std::isalpha(u) : !std::isalnum(u))
      return {};
    if (++subtag_length > 8)
      return {};
    result += static_cast<char>(std::tolower(u));
  }
  if (subtag_length < 2 || (primary && subtag_length > 3))
    return {};
  return result;
}

bool take(std::vector<std::string>& xs, const std::string& x) {
  auto i = std::find(xs.begin(), xs.end(), x);
  if (i == xs.end())
    return false;
  xs.erase(i);
  return true;
}

} // namespace parley
