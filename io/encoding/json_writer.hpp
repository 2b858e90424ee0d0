#pragma once

#include <cstddef>
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
  json_writer() = default;
  /// Makes room for `capacity` bytes up front: an event is then one
  /// allocation instead of one per doubling of its text.
  explicit json_writer(size_t capacity) {
    out_.resize(capacity);
  }

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

  std::string_view text() const {
    return {out_.data(), used_};
  }

  std::string take() {
    out_.resize(used_);
    used_ = 0;
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

  /// Room for `bytes` more at the end of the text; the caller writes them
  /// and moves `used_` on. Writing through a pointer instead of appending
  /// char by char keeps each write out of libstdc++'s out-of-line calls.
  char* room(size_t bytes);
  void put_char(char c);
  void put_text(std::string_view text);

  /// Opens a container; `filled` answers for the innermost one.
  void push_container();
  void pop_container();
  bool filled() const;
  void set_filled();

  /// The text is `out_`'s first `used_` bytes; the rest is room.
  std::string out_;
  size_t used_ = 0;
  /// Per open container, whether it holds a value yet: a bit each for the
  /// first 64 levels (events are shallow, and a bit set needs no
  /// allocation), then `deeper_`.
  uint64_t filled_bits_ = 0;
  size_t depth_ = 0;
  std::vector<bool> deeper_;
  bool after_key_ = false;
};

} // namespace parley
