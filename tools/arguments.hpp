#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley {

/// Command-line arguments split into options and positionals. Options are
/// `--name value` or `--name=value`; names listed as flags take no value.
/// An option may repeat (`--to es --to fr`).
class arguments {
public:
  arguments(int argc, char** argv, int first,
            const std::vector<std::string>& flags = {});

  /// The last value of `name`, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback) const;
  /// Every value of `name`, in order.
  std::vector<std::string> all(const std::string& name) const;
  /// The last value of `name` as a number, or `fallback`; throws
  /// `std::invalid_argument` when it is not a non-negative integer.
  size_t get_size(const std::string& name, size_t fallback) const;
  bool has(const std::string& name) const;
  const std::vector<std::string>& positionals() const {
    return positionals_;
  }
  /// Throws `std::invalid_argument` naming the first option not in `known`.
  void expect_only(const std::vector<std::string>& known) const;

private:
  std::multimap<std::string, std::string> options_;
  std::vector<std::string> order_;
  std::vector<std::string> positionals_;
};

} // namespace parley
