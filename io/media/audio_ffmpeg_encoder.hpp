#pragma once

// Internal to the audio files of io/: compressed formats through libavcodec
// and libavformat.

#include <cstdint>
#include <string>
#include <vector>

namespace parley::ffmpeg {

/// Which FFmpeg components make one output format.
struct encoder_recipe {
  /// Encoders to try, best first (FFmpeg builds differ).
  std::vector<std::string> encoders;
  /// The muxer (container) name, e.g. "ogg".
  std::string muxer;
  /// The rate to encode at; 0 keeps the input rate when the encoder allows.
  int sample_rate = 0;
  int64_t bit_rate = 0;
};

/// Encodes 16-bit mono PCM at `sample_rate` as `recipe` says, resampling as
/// needed. Throws `std::runtime_error` when no encoder of the recipe exists
/// or encoding fails.
std::string encode_with_ffmpeg(const std::vector<int16_t>& samples,
                               int sample_rate, const encoder_recipe& recipe);

} // namespace parley::ffmpeg
