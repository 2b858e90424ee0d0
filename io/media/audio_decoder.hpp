#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "io/media/audio_error.hpp"

namespace parley {

/// Limits on audio a request may bring (from configuration).
struct audio_limits {
  /// Largest encoded input accepted, in bytes.
  size_t max_bytes = 25 << 20;
  /// Longest decoded audio accepted, in seconds.
  double max_seconds = 600;
};

/// 16 kHz mono float samples in [-1, 1] and what they came from.
struct decoded_audio {
  std::vector<float> samples;
  /// FFmpeg's short container name: "wav", "mp3", "ogg", "flac",
  /// "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2", ...
  std::string format;
  /// FFmpeg's codec name: "pcm_s16le", "mp3", "opus", "aac", ...
  std::string codec;
  double duration_seconds = 0;
};

/// The rate of `decoded_audio::samples`.
inline constexpr int decoded_sample_rate = 16000;

/// Decodes audio held in memory, whatever the container or codec FFmpeg
/// knows, identified by its content alone, and resamples it to 16 kHz mono.
/// Throws `audio_error` with
/// - `missing_audio` for empty input;
/// - `invalid_request` for input over `max_bytes` or audio longer than
///   `max_seconds` (decoding stops as soon as the limit is crossed);
/// - `audio_decode_failed` for anything unreadable, truncated or corrupt.
decoded_audio decode_audio(std::string_view bytes,
                           const audio_limits& limits = {});

/// Same for a file on disk, read whole after checking its size against
/// `max_bytes`; a file that cannot be read is `audio_decode_failed`.
decoded_audio decode_audio_file(const std::string& path,
                                const audio_limits& limits = {});

} // namespace parley
