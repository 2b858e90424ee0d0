#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley {

/// Base64 through FFmpeg's libavutil, which Parley links for audio anyway.
std::string base64_encode(std::string_view bytes);

/// The bytes of `text`, or nothing when it is not padded base64.
std::optional<std::string> base64_decode(const std::string& text);

} // namespace parley
