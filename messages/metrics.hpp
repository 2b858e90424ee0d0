#pragma once

#include <map>
#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Named values reported by an actor. Names follow Prometheus syntax without
/// the `parley_` prefix, labels included:
/// `requests_total{type="translation",outcome="completed"}`.
struct metrics {
  std::map<std::string, double> values;

  /// Adds every value of `other` to this one (sums equal names).
  void merge(const metrics& other) {
    for (const auto& [name, value] : other.values)
      values[name] += value;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metrics& x) {
  return f(caf::meta::type_name("metrics"), x.values);
}

} // namespace parley
