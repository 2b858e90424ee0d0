#include "models/transformer/device.hpp"

#include <cctype>

namespace parley::transformer {

std::string device_request::to_string() const {
  switch (what) {
  case kind::cpu:
    return "cpu";
  case kind::cuda:
    return "cuda:" + std::to_string(index);
  case kind::automatic:
    return "auto";
  }
  return "?";
}

std::optional<device_request> parse_device(const std::string& value) {
  using kind = device_request::kind;
  if (value == "cpu")
    return device_request{kind::cpu, 0};
  if (value == "auto")
    return device_request{kind::automatic, 0};
  if (value == "cuda")
    return device_request{kind::cuda, 0};
  const std::string prefix = "cuda:";
  if (value.size() <= prefix.size() || value.compare(0, prefix.size(), prefix))
    return std::nullopt;
  auto digits = value.substr(prefix.size());
  // A device index: a few decimal digits, no sign, no spaces.
  if (digits.size() > 4)
    return std::nullopt;
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
  return device_request{kind::cuda, std::stoi(digits)};
}

} // namespace parley::transformer
