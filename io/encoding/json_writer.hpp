#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

/// Appends JSON text directly, without building a document. Parley's events
/// are small, flat and sent tens of thousands of times a second; building a
/// JSON document for each cost more than everything else on the cache-hit
/// path together. Decoding stays with nlohmann::json.
class json_writer {
public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();

  /// The key of the next member of the enclosing object.
  json_writer& key(std::string_view name);

  json_writer& string(std::string_view text);
  json_writer& number(double value);
  json_writer& number(int64_t value);
  json_writer& number(uint64_t value);
  json_writer& boolean(bool value);
  json_writer& null();
  /// A value that is already JSON text; an empty `json` writes null.
  json_writer& raw(std::string_view json);

  /// Shorthands for a member: key and value.
  template <class T> json_writer& field(std::string_view name, T&& value) {
    key(name);
    return put(std::forward<T>(value));
  }
  json_writer& raw_field(std::string_view name, std::string_view json) {
    key(name);
    return raw(json);
  }

  const std::string& text() const {
    return out_;
  }

  std::string take() {
    return std::move(out_);
  }

private:
  json_writer& put(std::string_view text) {
    return string(text);
  }
  json_writer& put(const std::string& text) {
    return string(text);
  }
  json_writer& put(const char* text) {
    return string(text);
  }
  json_writer& put(double value) {
    return number(value);
  }
  json_writer& put(int value) {
    return number(static_cast<int64_t>(value));
  }
  json_writer& put(int64_t value) {
    return number(value);
  }
  json_writer& put(uint32_t value) {
    return number(static_cast<uint64_t>(value));
  }
  json_writer& put(uint64_t value) {
    return number(value);
  }
  json_writer& put(bool value) {
    return boolean(value);
  }

  /// Writes the comma before a value when one is due.
  void separate();

  std::string out_;
  /// Per open container: whether it holds a value yet.
  std::vector<bool> filled_;
  bool after_key_ = false;
};

} // namespace parley
