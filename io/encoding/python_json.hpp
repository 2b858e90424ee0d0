#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace parley {

/// Writes JSON byte for byte as Python's `json.dumps` does with its
/// defaults: `", "` and `": "` separators, every character outside
/// printable ASCII escaped as `\uXXXX` (surrogate pairs beyond the BMP),
/// floats in `repr` form. Values written by the service Parley replaces
/// look exactly like this, and so do Parley's.
class python_json {
public:
  python_json& begin_object();
  python_json& end_object();
  python_json& begin_array();
  python_json& end_array();
  python_json& key(std::string_view name);
  python_json& string(std::string_view text);
  python_json& number(int64_t value);
  /// Python's `repr(float)`: the shortest text that reads back the same,
  /// with `.0` on whole numbers.
  python_json& real(double value);
  python_json& boolean(bool value);
  python_json& null();

  template <class T> python_json& field(std::string_view name, const T& value);

  std::string take() {
    return std::move(out_);
  }

private:
  void separate();

  std::string out_;
  /// True right after `[`, `{` or a key: the next value needs no comma.
  bool fresh_ = true;
};

/// A string in JSON quotes, escaped as `json.dumps(..., ensure_ascii=True)`.
std::string python_json_quote(std::string_view utf8);

/// Python's `repr()` of a float.
std::string python_float_repr(double value);

template <class T>
python_json& python_json::field(std::string_view name, const T& value) {
  key(name);
  if constexpr (std::is_same_v<T, bool>)
    return boolean(value);
  else if constexpr (std::is_floating_point_v<T>)
    return real(value);
  else if constexpr (std::is_integral_v<T>)
    return number(static_cast<int64_t>(value));
  else
    return string(value);
}

} // namespace parley
