#include "io/encoding/base64.hpp"

extern "C" {
#include <libavutil/base64.h>
}

namespace parley {

std::string base64_encode(std::string_view bytes) {
  std::string out(AV_BASE64_SIZE(bytes.size()), '\0');
  av_base64_encode(out.data(), static_cast<int>(out.size()),
                   reinterpret_cast<const uint8_t*>(bytes.data()),
                   static_cast<int>(bytes.size()));
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::string> base64_decode(const std::string& text) {
  // Padded base64 only: a length that is not a multiple of 4 is cut short.
  if (text.size() % 4 != 0)
    return std::nullopt;
  if (text.empty())
    return std::string{};
  std::string bytes(AV_BASE64_DECODE_SIZE(text.size()), '\0');
  auto size = av_base64_decode(reinterpret_cast<uint8_t*>(bytes.data()),
                               text.c_str(), static_cast<int>(bytes.size()));
  if (size <= 0)
    return std::nullopt;
  bytes.resize(static_cast<size_t>(size));
  return bytes;
}

} // namespace parley
