#include "io/encoding/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace parley {

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!filled_.empty()) {
    if (filled_.back())
      out_ += ',';
    filled_.back() = true;
  }
}

json_writer& json_writer::begin_object() {
  separate();
  out_ += '{';
  filled_.push_back(false);
  return *this;
}

json_writer& json_writer::end_object() {
  out_ += '}';
  filled_.pop_back();
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  out_ += '[';
  filled_.push_back(false);
  return *this;
}

json_writer& json_writer::end_array() {
  out_ += ']';
  filled_.pop_back();
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  string(name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

json_writer& json_writer::string(std::string_view text) {
  separate();
  static constexpr char hex[] = "0123456789abcdef";
  out_.reserve(out_.size() + text.size() + 2);
  out_ += '"';
  size_t run = 0; // start of the characters that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\')
      continue;
    out_.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
    case '"':
      out_ += "\\\"";
      break;
    case '\\':
      out_ += "\\\\";
      break;
    case '\n':
      out_ += "\\n";
      break;
    case '\r':
      out_ += "\\r";
      break;
    case '\t':
      out_ += "\\t";
      break;
    default:
      out_ += "\\u00";
      out_ += hex[byte >> 4];
      out_ += hex[byte & 0xF];
    }
  }
  out_.append(text.data() + run, text.size() - run);
  out_ += '"';
  return *this;
}

json_writer& json_writer::number(double value) {
  separate();
  if (!std::isfinite(value)) {
    out_ += "null";
    return *this;
  }
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out_.append(buffer, result.ptr);
  return *this;
}

json_writer& json_writer::number(int64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

json_writer& json_writer::number(uint64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

json_writer& json_writer::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  separate();
  if (json.empty())
    out_ += "null";
  else
    out_ += json;
  return *this;
}

} // namespace parley
