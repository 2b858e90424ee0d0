#include "io/media/audio_error.hpp"

namespace parley {

audio_error::audio_error(error_code code, const std::string& what)
    : std::runtime_error(what), code_(code) {
}

} // namespace parley
