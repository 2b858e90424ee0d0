#include "io/media/audio_encoder.hpp"

#include "io/media/audio_ffmpeg_encoder.hpp"
#include "io/media/audio_wav.hpp"

namespace parley {

namespace {

constexpr auto wav_mime = "audio/wav";
constexpr auto opus_mime = "audio/ogg";
constexpr auto mp3_mime = "audio/mpeg";
constexpr auto aac_mime = "audio/aac";
constexpr auto flac_mime = "audio/flac";
constexpr auto pcm_mime = "audio/pcm";

// Speech, not music: these bit rates keep synthesized voices clear.
const ffmpeg::encoder_recipe opus_recipe{
    {"libopus", "opus"}, "ogg", /*sample_rate=*/48000, /*bit_rate=*/32000};
const ffmpeg::encoder_recipe mp3_recipe{
    {"libmp3lame", "libshine"}, "mp3", /*sample_rate=*/0, /*bit_rate=*/64000};
const ffmpeg::encoder_recipe aac_recipe{
    {"aac", "libfdk_aac"}, "adts", /*sample_rate=*/0, /*bit_rate=*/64000};
const ffmpeg::encoder_recipe flac_recipe{
    {"flac"}, "flac", /*sample_rate=*/0, /*bit_rate=*/0};
// Headerless, so the rate is fixed: 24 kHz, as OpenAI's `pcm` documents.
const ffmpeg::encoder_recipe pcm_recipe{
    {"pcm_s16le"}, "s16le", /*sample_rate=*/24000, /*bit_rate=*/0};

struct named_recipe {
  const char* name;
  const ffmpeg::encoder_recipe& recipe;
  const char* mime_type;
};

const named_recipe ffmpeg_formats[] = {
    {"opus", opus_recipe, opus_mime}, {"mp3", mp3_recipe, mp3_mime},
    {"aac", aac_recipe, aac_mime},    {"flac", flac_recipe, flac_mime},
    {"pcm", pcm_recipe, pcm_mime},
};

} // namespace

encoded_audio encode_audio(const std::vector<int16_t>& samples, int sample_rate,
                           const std::string& format) {
  if (sample_rate <= 0)
    throw audio_error(error_code::invalid_request,
                      "the sample rate must be positive, not "
                          + std::to_string(sample_rate));
  if (format == "wav")
    return {write_wav(samples, sample_rate), wav_mime};
  for (const auto& known : ffmpeg_formats)
    if (format == known.name)
      return {ffmpeg::encode_with_ffmpeg(samples, sample_rate, known.recipe),
              known.mime_type};
  throw audio_error(error_code::invalid_request,
                    "unknown audio format '" + format
                        + "' (expected wav, opus, mp3, aac, flac or pcm)");
}

} // namespace parley
