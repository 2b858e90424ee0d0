#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace parley::test {

/// `text` in ASCII lower case, for checking words regardless of capitals.
inline std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

/// How often `what` occurs in `text`, without overlaps.
inline size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + what.size()))
    ++n;
  return n;
}

} // namespace parley::test
