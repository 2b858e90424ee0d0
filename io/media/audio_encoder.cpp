#include "io/media/audio_encoder.hpp"

#include "io/media/audio_ffmpeg_encoder.hpp"
#include "io/media/audio_wav.hpp"

namespace parley {

namespace {

constexpr auto wav_mime = "audio/wav";
constexpr auto opus_mime = "audio/ogg";
constexpr auto mp3_mime = "audio/mpeg";

// Speech, not music: these bit rates keep synthesized voices clear.
const ffmpeg::encoder_recipe opus_recipe{
    {"libopus", "opus"}, "ogg", /*sample_rate=*/48000, /*bit_rate=*/32000};
const ffmpeg::encoder_recipe mp3_recipe{
    {"libmp3lame", "libshine"}, "mp3", /*sample_rate=*/0, /*bit_rate=*/64000};

} // namespace

encoded_audio encode_audio(const std::vector<int16_t>& samples, int sample_rate,
                           const std::string& format) {
  if (sample_rate <= 0)
    throw audio_error(error_code::invalid_request,
                      "the sample rate must be positive, not "
                          + std::to_string(sample_rate));
  if (format == "wav")
    return {write_wav(samples, sample_rate), wav_mime};
  if (format == "opus")
    return {ffmpeg::encode_with_ffmpeg(samples, sample_rate, opus_recipe),
            opus_mime};
  if (format == "mp3")
    return {ffmpeg::encode_with_ffmpeg(samples, sample_rate, mp3_recipe),
            mp3_mime};
  throw audio_error(error_code::invalid_request,
                    "unknown audio format '" + format
                        + "' (expected wav, opus or mp3)");
}

} // namespace parley
