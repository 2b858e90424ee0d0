#include "io/http/prometheus.hpp"

#include <cmath>
#include <cstdio>

namespace parley {

namespace {

std::string base_name(const std::string& name) {
  return name.substr(0, name.find('{'));
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size()
         && text.compare(text.size() - suffix.size(), suffix.size(), suffix)
                == 0;
}

std::string format_value(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

} // namespace

std::string to_prometheus(const metrics& values) {
  std::string out;
  std::string current;
  // The map is sorted, so every series of one metric follows its TYPE line.
  for (const auto& [name, value] : values.values) {
    auto base = base_name(name);
    if (base != current) {
      current = base;
      out += "# TYPE parley_" + base
             + (ends_with(base, "_total") ? " counter\n" : " gauge\n");
    }
    out += "parley_" + name + " " + format_value(value) + "\n";
  }
  return out;
}

} // namespace parley
