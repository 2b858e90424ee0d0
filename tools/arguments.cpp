#include "tools/arguments.hpp"

#include <algorithm>

namespace parley {

arguments::arguments(int argc, char** argv, int first,
                     const std::vector<std::string>& flags) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positionals_.push_back(arg);
      continue;
    }
    auto name = arg.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw std::invalid_argument("option --" + name + " needs a value");
    }
    options_.emplace(name, value);
    order_.push_back(name);
  }
}

std::string arguments::get(const std::string& name,
                           const std::string& fallback) const {
  auto values = all(name);
  return values.empty() ? fallback : values.back();
}

std::vector<std::string> arguments::all(const std::string& name) const {
  std::vector<std::string> result;
  auto [begin, end] = options_.equal_range(name);
  for (auto i = begin; i != end; ++i)
    result.push_back(i->second);
  return result;
}

size_t arguments::get_size(const std::string& name, size_t fallback) const {
  if (!has(name))
    return fallback;
  auto text = get(name, "");
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || text[0] == '-')
    throw std::invalid_argument("--" + name + " needs a number, not '" + text
                                + "'");
  return static_cast<size_t>(value);
}

bool arguments::has(const std::string& name) const {
  return options_.count(name) > 0;
}

void arguments::expect_only(const std::vector<std::string>& known) const {
  for (const auto& name : order_)
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw std::invalid_argument("unknown option --" + name);
}

} // namespace parley
