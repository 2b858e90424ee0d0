#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley {

/// The SHA-256 digest of `data` (FIPS 180-4).
std::array<uint8_t, 32> sha256(std::string_view data);

/// The digest as 64 lower-case hex digits, as Python's
/// `hashlib.sha256(data).hexdigest()`.
std::string sha256_hex(std::string_view data);

} // namespace parley
