#pragma once

// Internal to the audio files of io/: libswresample behind one call per
// decoded frame.

#include <vector>

#include "io/media/audio_ffmpeg.hpp"

namespace parley::ffmpeg {

/// Converts decoded frames of any channel layout, sample format and rate to
/// mono float at one rate. Streams may change their parameters midway
/// (chained Ogg, concatenated MP3); the resampler then flushes and starts
/// over with the new ones.
class mono_resampler {
public:
  explicit mono_resampler(int out_rate);

  /// Appends `frame`, converted, to `out`, a second of input at a time, and
  /// stops with false as soon as `out` holds more than `max_samples` (a
  /// frame at a very low rate can hold hours). Throws `audio_error`
  /// (audio_decode_failed) for parameters libswresample cannot convert.
  bool push(const AVFrame& frame, std::vector<float>& out, size_t max_samples);

  /// Appends the samples still held back by the resampler to `out`.
  void flush(std::vector<float>& out);

private:
  bool matches(const AVChannelLayout& layout, int format, int rate) const;
  void configure(const AVChannelLayout& layout, int format, int rate);
  void convert(const uint8_t** in, int in_count, std::vector<float>& out);

  int out_rate_;
  swr_ptr swr_;
  AVChannelLayout in_layout_{};
  int in_format_ = AV_SAMPLE_FMT_NONE;
  int in_rate_ = 0;
};

} // namespace parley::ffmpeg
