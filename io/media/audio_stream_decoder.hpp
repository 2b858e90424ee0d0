#pragma once

// Internal to the audio files of io/: one audio stream's packets through its
// decoder and the resampler.

#include <cstddef>
#include <vector>

#include "io/media/audio_ffmpeg.hpp"
#include "io/media/audio_resampler.hpp"

namespace parley::ffmpeg {

/// Decodes the packets of one audio stream to mono float at `out_rate`,
/// and stops taking packets once it holds more than `max_samples`.
class stream_decoder {
public:
  /// Opens `codec` for `stream`; throws `audio_error`
  /// (audio_decode_failed) when the decoder refuses its parameters.
  stream_decoder(const AVStream& stream, const AVCodec& codec, int out_rate,
                 size_t max_samples);

  /// Decodes one packet; a corrupt one is counted and skipped.
  void decode(const AVPacket& packet);

  /// Drains the decoder and the resampler; returns every sample.
  std::vector<float> finish();

  /// True once the samples exceed `max_samples`; no more are decoded.
  bool over_limit() const {
    return over_limit_;
  }

  /// Packets handed to `decode`.
  size_t packets() const {
    return packets_;
  }

  /// Packets or frames the decoder rejected.
  size_t errors() const {
    return errors_;
  }

private:
  void receive();

  size_t max_samples_;
  codec_ptr context_;
  frame_ptr frame_;
  mono_resampler resampler_;
  std::vector<float> samples_;
  size_t packets_ = 0;
  size_t errors_ = 0;
  bool over_limit_ = false;
};

} // namespace parley::ffmpeg
