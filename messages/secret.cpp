#include "messages/secret.hpp"

#include <algorithm>
#include <cstddef>

namespace parley {

bool secrets_equal(std::string_view given, std::string_view expected) {
  auto length = std::max(given.size(), expected.size());
  // volatile: the compiler may not stop at the first difference.
  volatile unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < length; ++i) {
    auto a = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    auto b = i < expected.size() ? static_cast<unsigned char>(expected[i]) : 0;
    difference = difference | static_cast<unsigned char>(a ^ b);
  }
  return difference == 0;
}

} // namespace parley
