#pragma once

#include <stdexcept>
#include <string>

#include "messages/error_code.hpp"

namespace parley {

/// A failure of audio decoding or encoding with its protocol error code:
/// `missing_audio`, `invalid_request` or `audio_decode_failed`.
class audio_error : public std::runtime_error {
public:
  /// Wraps `what`, the explanation a client receives, with `code`.
  audio_error(error_code code, const std::string& what);

  /// The code the failure maps to on the wire.
  error_code code() const {
    return code_;
  }

private:
  error_code code_;
};

} // namespace parley
