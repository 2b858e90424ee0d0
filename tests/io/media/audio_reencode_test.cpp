#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "io/media/audio_decoder.hpp"
#include "tests/io/media/audio_test_helpers.hpp"

using namespace parley;
using namespace parley::test;

namespace {

// Encoder delay that a decoder fails to trim shifts the audio by a few
// thousand samples at most.
constexpr long max_lag = 3000;

struct reencoding {
  const char* name;
  const char* file;
  std::vector<std::string> args;
  const char* format;
  const char* codec;
};

double rms(const std::vector<float>& samples) {
  double sum = 0;
  for (auto sample : samples)
    sum += double{sample} * sample;
  return std::sqrt(sum / samples.size());
}

} // namespace

TEST_CASE("jfk re-encoded by ffmpeg in lossy formats decodes to the same "
          "speech",
          "[io]") {
  auto wav = parse_wav(read_bytes(jfk_path()));
  auto original = to_float(wav.samples);
  auto seconds = wav.data_bytes / 2 / 16000.0;
  auto encoding = GENERATE(
      reencoding{"mp3",
                 "jfk.mp3",
                 {"-c:a", "libmp3lame", "-b:a", "64k"},
                 "mp3",
                 "mp3"},
      reencoding{"ogg/opus",
                 "jfk.ogg",
                 {"-c:a", "libopus", "-b:a", "32k"},
                 "ogg",
                 "opus"},
      reencoding{
          "ogg/vorbis", "jfk.ogg", {"-c:a", "libvorbis"}, "ogg", "vorbis"},
      reencoding{"webm/opus",
                 "jfk.webm",
                 {"-c:a", "libopus"},
                 "matroska,webm",
                 "opus"},
      reencoding{"m4a/aac",
                 "jfk.m4a",
                 {"-c:a", "aac", "-b:a", "64k"},
                 "mov,mp4,m4a,3gp,3g2,mj2",
                 "aac"});
  INFO(encoding.name);
  temp_dir dir;
  auto bytes = run_ffmpeg(jfk_path(), encoding.args, dir.file(encoding.file));

  auto decoded = decode_audio(bytes);
  CHECK(decoded.format == encoding.format);
  CHECK(decoded.codec == encoding.codec);
  CHECK(decoded.duration_seconds == Approx(seconds).margin(0.1));
  auto aligned = align(original, decoded.samples, max_lag);
  INFO("lag " << aligned.lag);
  CHECK(aligned.correlation > 0.9);
}

TEST_CASE("jfk re-encoded by ffmpeg as flac decodes to exactly the same "
          "samples",
          "[io]") {
  auto wav = parse_wav(read_bytes(jfk_path()));
  temp_dir dir;
  auto decoded = decode_audio(run_ffmpeg(jfk_path(), {}, dir.file("jfk.flac")));
  CHECK(decoded.format == "flac");
  CHECK(decoded.codec == "flac");
  REQUIRE(decoded.samples.size() == wav.samples.size());
  double worst = 0;
  for (size_t i = 0; i < wav.samples.size(); ++i)
    worst = std::max(
        worst, std::abs(double{decoded.samples[i]} - wav.samples[i] / 32768.0));
  CHECK(worst < 1e-6);
}

TEST_CASE("a 44.1 kHz stereo re-encode is resampled back in line with the "
          "original",
          "[io]") {
  auto wav = parse_wav(read_bytes(jfk_path()));
  auto original = to_float(wav.samples);
  temp_dir dir;
  auto bytes =
      run_ffmpeg(jfk_path(), {"-ar", "44100", "-ac", "2", "-c:a", "pcm_s16le"},
                 dir.file("jfk-stereo.wav"));
  auto stereo = parse_wav(bytes);
  REQUIRE(stereo.channels == 2);
  REQUIRE(stereo.sample_rate == 44100);

  auto decoded = decode_audio(bytes);
  CHECK(decoded.duration_seconds
        == Approx(wav.data_bytes / 2 / 16000.0).margin(0.01));
  auto aligned = align(original, decoded.samples, max_lag);
  CHECK(std::abs(aligned.lag) <= 2);
  CHECK(aligned.correlation > 0.99);
  // The mix is the mean of the channels: as loud as they are, never louder.
  std::vector<float> mean;
  for (size_t i = 0; i + 1 < stereo.samples.size(); i += 2)
    mean.push_back((stereo.samples[i] + stereo.samples[i + 1]) / 65536.0f);
  CHECK(rms(decoded.samples) == Approx(rms(mean)).epsilon(0.01));
}
