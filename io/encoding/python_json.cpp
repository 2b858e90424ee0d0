#include "io/encoding/python_json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace parley {

namespace {

void append_u(std::string& out, uint32_t unit) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4)
    out += digits[(unit >> shift) & 0xf];
}

/// Decodes one UTF-8 sequence at `i`; invalid bytes read as U+FFFD.
uint32_t next_code_point(std::string_view text, size_t& i) {
  auto byte = static_cast<unsigned char>(text[i++]);
  if (byte < 0x80)
    return byte;
  int extra = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : byte >= 0xc0 ? 1 : -1;
  if (extra < 0 || byte >= 0xf8)
    return 0xfffd;
  uint32_t code = byte & (0x3f >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= text.size()
        || (static_cast<unsigned char>(text[i]) & 0xc0) != 0x80)
      return 0xfffd;
    code = (code << 6) | (static_cast<unsigned char>(text[i++]) & 0x3f);
  }
  return code;
}

} // namespace

std::string python_json_quote(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + 2);
  out += '"';
  size_t i = 0;
  while (i < utf8.size()) {
    auto code = next_code_point(utf8, i);
    switch (code) {
    case '"':
      out += "\\\"";
      continue;
    case '\\':
      out += "\\\\";
      continue;
    case '\n':
      out += "\\n";
      continue;
    case '\r':
      out += "\\r";
      continue;
    case '\t':
      out += "\\t";
      continue;
    case '\b':
      out += "\\b";
      continue;
    case '\f':
      out += "\\f";
      continue;
    default:
      break;
    }
    if (code >= 0x20 && code <= 0x7e) {
      out += static_cast<char>(code);
    } else if (code < 0x10000) {
      append_u(out, code);
    } else {
      code -= 0x10000;
      append_u(out, 0xd800 | (code >> 10));
      append_u(out, 0xdc00 | (code & 0x3ff));
    }
  }
  out += '"';
  return out;
}

std::string python_float_repr(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0)
    return std::signbit(value) ? "-0.0" : "0.0";
  // The fewest significant digits that read back to the same double.
  char buffer[64];
  int digits = 1;
  for (; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", digits - 1, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  std::string scientific = buffer;
  auto e = scientific.find('e');
  int exponent = std::atoi(scientific.c_str() + e + 1);
  // Python switches to exponents below 1e-4 and from 1e16 on.
  if (exponent >= -4 && exponent < 16) {
    int decimals = std::max(0, digits - 1 - exponent);
    std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
    std::string fixed = buffer;
    if (fixed.find('.') == std::string::npos)
      fixed += ".0";
    return fixed;
  }
  auto mantissa = scientific.substr(0, e);
  char exp_text[16];
  std::snprintf(exp_text, sizeof(exp_text), "e%c%02d", exponent < 0 ? '-' : '+',
                std::abs(exponent));
  return mantissa + exp_text;
}

void python_json::separate() {
  if (!fresh_)
    out_ += ", ";
  fresh_ = false;
}

python_json& python_json::begin_object() {
  separate();
  out_ += '{';
  fresh_ = true;
  return *this;
}

python_json& python_json::end_object() {
  out_ += '}';
  fresh_ = false;
  return *this;
}

python_json& python_json::begin_array() {
  separate();
  out_ += '[';
  fresh_ = true;
  return *this;
}

python_json& python_json::end_array() {
  out_ += ']';
  fresh_ = false;
  return *this;
}

python_json& python_json::key(std::string_view name) {
  separate();
  out_ += python_json_quote(name);
  out_ += ": ";
  fresh_ = true;
  return *this;
}

python_json& python_json::string(std::string_view text) {
  separate();
  out_ += python_json_quote(text);
  return *this;
}

python_json& python_json::number(int64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

python_json& python_json::real(double value) {
  separate();
  out_ += python_float_repr(value);
  return *this;
}

python_json& python_json::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

python_json& python_json::null() {
  separate();
  out_ += "null";
  return *this;
}

} // namespace parley
