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

} // namespace parley::test
