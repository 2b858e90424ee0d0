#include "io/http/prometheus.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>
#include <vector>

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

/// The family a histogram series belongs to (`x` for `x_bucket`, `x_sum`
/// and `x_count`), or empty when `base` is no histogram's.
std::string histogram_family(const std::string& base,
                             const std::set<std::string>& families) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    if (!ends_with(base, suffix))
      continue;
    auto family =
        base.substr(0, base.size() - std::char_traits<char>::length(suffix));
    if (families.count(family) > 0)
      return family;
  }
  return {};
}

/// A bucket's labels without `le`, and its bound: buckets sort by series,
/// then by bound, as Prometheus lists them (`+Inf` last).
std::tuple<std::string, double> bucket_order(const std::string& name) {
  auto le = name.find("le=\"");
  if (le == std::string::npos)
    return {name, 0};
  auto bound = name.substr(le + 4, name.find('"', le + 4) - le - 4);
  auto value = bound == "+Inf" ? HUGE_VAL : std::strtod(bound.c_str(), nullptr);
  return {name.substr(0, le) + name.substr(name.find('"', le + 4) + 1), value};
}

void add_line(std::string& out, const std::string& name, double value) {
  out += "parley_" + name + " " + format_value(value) + "\n";
}

} // namespace

std::string to_prometheus(const metrics& values) {
  std::set<std::string> families;
  for (const auto& [name, value] : values.values) {
    auto base = base_name(name);
    if (ends_with(base, "_bucket"))
      families.insert(base.substr(0, base.size() - 7));
  }
  std::string out;
  std::string current;
  std::set<std::string> written;
  // The map is sorted, so every series of one metric follows its TYPE line.
  for (const auto& [name, value] : values.values) {
    auto base = base_name(name);
    auto family = histogram_family(base, families);
    if (family.empty()) {
      if (base != current) {
        current = base;
        out += "# TYPE parley_" + base
               + (ends_with(base, "_total") ? " counter\n" : " gauge\n");
      }
      add_line(out, name, value);
      continue;
    }
    if (!written.insert(family).second)
      continue;
    current.clear();
    out += "# TYPE parley_" + family + " histogram\n";
    std::vector<std::pair<std::string, double>> buckets;
    auto first = values.values.lower_bound(family + "_bucket");
    for (auto i = first;
         i != values.values.end() && base_name(i->first) == family + "_bucket";
         ++i)
      buckets.emplace_back(i->first, i->second);
    std::stable_sort(buckets.begin(), buckets.end(),
                     [](const auto& a, const auto& b) {
                       return bucket_order(a.first) < bucket_order(b.first);
                     });
    for (const auto& [bucket, count] : buckets)
      add_line(out, bucket, count);
    for (const char* suffix : {"_sum", "_count"}) {
      auto series = family + suffix;
      for (auto i = values.values.lower_bound(series);
           i != values.values.end() && base_name(i->first) == series; ++i)
        add_line(out, i->first, i->second);
    }
  }
  return out;
}

} // namespace parley
