#include "io/encoding/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace parley {

namespace {

constexpr size_t bit_levels = 64;

/// Where a writer made without a size hint starts: most events fit.
constexpr size_t first_room = 512;

/// Bytes a JSON string cannot hold as they are.
constexpr bool needs_escape(unsigned char byte) {
  return byte < 0x20 || byte == '"' || byte == '\\';
}

/// The index of the first byte of `text` at or after `from` that needs an
/// escape, or its size. Eight bytes at a time: a word with no byte below
/// 0x20 and no quote or backslash is skipped whole (the tests are the
/// "has less than" and "has zero byte" bit tricks; they may flag a clean
/// word, never miss a byte, and a flagged word is then read byte by byte).
size_t next_escape(std::string_view text, size_t from) {
  constexpr uint64_t ones = ~uint64_t{0} / 255;
  constexpr uint64_t highs = ones * 0x80;
  auto i = from;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    auto quote = word ^ (ones * '"');
    auto backslash = word ^ (ones * '\\');
    auto flagged = ((word - ones * 0x20) & ~word) | ((quote - ones) & ~quote)
                   | ((backslash - ones) & ~backslash);
    if ((flagged & highs) != 0)
      break;
  }
  for (; i < text.size(); ++i)
    if (needs_escape(static_cast<unsigned char>(text[i])))
      return i;
  return text.size();
}

} // namespace

inline char* json_writer::room(size_t bytes) {
  if (used_ + bytes > out_.size())
    out_.resize(std::max({used_ + bytes, 2 * out_.size(), first_room}));
  return out_.data() + used_;
}

inline void json_writer::put_char(char c) {
  *room(1) = c;
  ++used_;
}

inline void json_writer::put_text(std::string_view text) {
  if (text.empty())
    return;
  std::memcpy(room(text.size()), text.data(), text.size());
  used_ += text.size();
}

void json_writer::push_container() {
  if (depth_ < bit_levels)
    filled_bits_ &= ~(uint64_t{1} << depth_);
  else
    deeper_.push_back(false);
  ++depth_;
}

void json_writer::pop_container() {
  --depth_;
  if (depth_ >= bit_levels)
    deeper_.pop_back();
}

bool json_writer::filled() const {
  auto level = depth_ - 1;
  return level < bit_levels ? (filled_bits_ >> level) & 1 : deeper_.back();
}

void json_writer::set_filled() {
  auto level = depth_ - 1;
  if (level < bit_levels)
    filled_bits_ |= uint64_t{1} << level;
  else
    deeper_.back() = true;
}

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (filled())
      put_char(',');
    else
      set_filled();
  }
}

json_writer& json_writer::begin_object() {
  separate();
  put_char('{');
  push_container();
  return *this;
}

json_writer& json_writer::end_object() {
  put_char('}');
  pop_container();
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  put_char('[');
  push_container();
  return *this;
}

json_writer& json_writer::end_array() {
  put_char(']');
  pop_container();
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  string(name);
  put_char(':');
  after_key_ = true;
  return *this;
}

json_writer& json_writer::string(std::string_view text) {
  separate();
  static constexpr char hex[] = "0123456789abcdef";
  // Room for the text with both quotes; escapes ask for more as they come.
  room(text.size() + 2);
  put_char('"');
  size_t run = 0; // start of the characters that need no escape
  for (auto i = next_escape(text, 0); i < text.size();
       i = next_escape(text, run)) {
    auto byte = static_cast<unsigned char>(text[i]);
    put_text(text.substr(run, i - run));
    run = i + 1;
    switch (byte) {
    case '"':
      put_text("\\\"");
      break;
    case '\\':
      put_text("\\\\");
      break;
    case '\n':
      put_text("\\n");
      break;
    case '\r':
      put_text("\\r");
      break;
    case '\t':
      put_text("\\t");
      break;
    default: {
      const char escaped[] = {'\\',           'u', '0', '0', hex[byte >> 4],
                              hex[byte & 0xF]};
      put_text({escaped, sizeof(escaped)});
    }
    }
  }
  put_text(text.substr(run));
  put_char('"');
  return *this;
}

json_writer& json_writer::number(double value) {
  separate();
  if (!std::isfinite(value)) {
    put_text("null");
    return *this;
  }
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  put_text({buffer, static_cast<size_t>(result.ptr - buffer)});
  return *this;
}

json_writer& json_writer::number(int64_t value) {
  separate();
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  put_text({buffer, static_cast<size_t>(result.ptr - buffer)});
  return *this;
}

json_writer& json_writer::number(uint64_t value) {
  separate();
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  put_text({buffer, static_cast<size_t>(result.ptr - buffer)});
  return *this;
}

json_writer& json_writer::boolean(bool value) {
  separate();
  put_text(value ? "true" : "false");
  return *this;
}

json_writer& json_writer::null() {
  separate();
  put_text("null");
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  separate();
  put_text(json.empty() ? std::string_view{"null"} : json);
  return *this;
}

} // namespace parley
