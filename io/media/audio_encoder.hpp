#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/media/audio_error.hpp"

namespace parley {

/// An encoded recording and its MIME type.
struct encoded_audio {
  std::string bytes;
  std::string mime_type;
};

/// Encodes 16-bit mono PCM at `sample_rate` as
/// - "wav": RIFF PCM, written directly (audio/wav);
/// - "opus": Ogg Opus at 48 kHz, as Opus requires (audio/ogg);
/// - "mp3": MPEG layer III through libmp3lame (audio/mpeg);
/// - "aac": AAC-LC in ADTS frames (audio/aac);
/// - "flac": raw FLAC (audio/flac);
/// - "pcm": headerless 16-bit little-endian mono at 24 kHz (audio/pcm).
/// Throws `audio_error` (invalid_request) for another format name or a
/// sample rate that is not positive, and `std::runtime_error` when this
/// FFmpeg build lacks the encoder or encoding fails.
encoded_audio encode_audio(const std::vector<int16_t>& samples, int sample_rate,
                           const std::string& format);

} // namespace parley
