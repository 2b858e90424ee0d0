#include "actors/request_keys.hpp"

#include <cctype>

namespace parley {

bool is_auto_source(const std::string& source) {
  if (source.empty())
    return true;
  if (source.size() != 4)
    return false;
  std::string lower;
  for (auto c : source)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "auto";
}

std::string cached_text_of(const translate_request& request) {
  const auto& markup = request.markup;
  if (markup.format == text_format::plain && markup.ignore_tags.empty())
    return request.text;
  std::string key = "\x01markup:";
  key += std::to_string(static_cast<int>(markup.format));
  for (const auto& tag : markup.ignore_tags)
    key += "," + tag;
  key += "\x01";
  return key + request.text;
}

} // namespace parley
