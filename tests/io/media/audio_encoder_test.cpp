#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "io/media/audio_decoder.hpp"
#include "io/media/audio_encoder.hpp"
#include "tests/io/media/audio_test_helpers.hpp"

using namespace parley;
using namespace parley::test;

namespace {

constexpr int tone_rate = 22050;
constexpr double tone_hz = 440;

std::vector<int16_t> tone(int rate, double seconds) {
  std::vector<int16_t> samples(static_cast<size_t>(rate * seconds));
  for (size_t i = 0; i < samples.size(); ++i)
    samples[i] = static_cast<int16_t>(
        std::lround(16000 * std::sin(2 * M_PI * tone_hz * i / rate)));
  return samples;
}

struct expected_encoding {
  const char* name;
  const char* mime_type;
  const char* format;
  const char* codec;
  /// Silence the encoder adds that the container cannot mark: ADTS carries
  /// no gapless information, so AAC's priming and last frame are heard.
  double padding_s = 0;
};

} // namespace

TEST_CASE("encoded wav, opus, mp3, aac and flac decode back to a one second "
          "440 Hz tone",
          "[io]") {
  auto expected =
      GENERATE(expected_encoding{"wav", "audio/wav", "wav", "pcm_s16le"},
               expected_encoding{"opus", "audio/ogg", "ogg", "opus"},
               expected_encoding{"mp3", "audio/mpeg", "mp3", "mp3"},
               expected_encoding{"aac", "audio/aac", "aac", "aac", 0.1},
               expected_encoding{"flac", "audio/flac", "flac", "flac"});
  INFO(expected.name);
  auto encoded = encode_audio(tone(tone_rate, 1.0), tone_rate, expected.name);
  CHECK(encoded.mime_type == expected.mime_type);

  auto decoded = decode_audio(encoded.bytes);
  CHECK(decoded.format == expected.format);
  CHECK(decoded.codec == expected.codec);
  CHECK(decoded.duration_seconds
        == Approx(1.0).margin(0.03 + expected.padding_s));
  CHECK(dominant_frequency(decoded.samples, 16000, 100, 2000)
        == Approx(tone_hz).margin(3));
  // Near-silent padding dithers around zero, so crossings count only
  // without it.
  if (expected.padding_s == 0)
    CHECK(zero_crossings_per_second(decoded.samples, 16000)
          == Approx(2 * tone_hz).margin(20));
}

TEST_CASE("encoded opus and mp3 are read by the ffmpeg command as well",
          "[io]") {
  auto name = GENERATE(as<std::string>{}, "opus", "mp3");
  INFO(name);
  temp_dir dir;
  write_bytes(dir.file("speech"),
              encode_audio(tone(tone_rate, 1.0), tone_rate, name).bytes);
  auto pcm = parse_wav(run_ffmpeg(
      dir.file("speech"), {"-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le"},
      dir.file("decoded.wav")));
  CHECK(pcm.samples.size() == Approx(16000).margin(480));
  CHECK(dominant_frequency(to_float(pcm.samples), 16000, 100, 2000)
        == Approx(tone_hz).margin(3));
}

TEST_CASE("opus is encoded from 48 kHz, as Opus requires", "[io]") {
  auto bytes = encode_audio(tone(tone_rate, 1.0), tone_rate, "opus").bytes;
  CHECK(bytes.substr(0, 4) == "OggS");
  // The OpusHead packet (RFC 7845 5.1): magic, version, channel count,
  // pre-skip, then the rate the encoder was fed.
  auto head = bytes.find("OpusHead");
  REQUIRE(head != std::string::npos);
  CHECK(static_cast<uint8_t>(bytes.at(head + 9)) == 1);
  CHECK(le32(bytes, head + 12) == 48000);
}

TEST_CASE("pcm is headerless 16-bit little-endian mono at 24 kHz", "[io]") {
  auto encoded = encode_audio(tone(tone_rate, 1.0), tone_rate, "pcm");
  CHECK(encoded.mime_type == "audio/pcm");
  REQUIRE(encoded.bytes.size() % 2 == 0);
  std::vector<float> samples;
  for (size_t i = 0; i < encoded.bytes.size(); i += 2)
    samples.push_back(static_cast<int16_t>(le16(encoded.bytes, i)) / 32768.0f);
  CHECK(samples.size() == Approx(24000).margin(240));
  CHECK(dominant_frequency(samples, 24000, 100, 2000)
        == Approx(tone_hz).margin(3));
}

TEST_CASE("an encoded wav has a canonical RIFF header and the samples "
          "verbatim",
          "[io]") {
  std::vector<int16_t> samples{0, 1, -1, 32767, -32768, 1234, -4321};
  auto bytes = encode_audio(samples, tone_rate, "wav").bytes;
  REQUIRE(bytes.size() == 44 + 2 * samples.size());
  CHECK(bytes.substr(0, 4) == "RIFF");
  CHECK(le32(bytes, 4) == 36 + 2 * samples.size());
  CHECK(bytes.substr(8, 8) == "WAVEfmt ");
  CHECK(le32(bytes, 16) == 16);
  CHECK(le16(bytes, 20) == 1);
  CHECK(le16(bytes, 22) == 1);
  CHECK(le32(bytes, 24) == 22050);
  CHECK(le32(bytes, 28) == 44100);
  CHECK(le16(bytes, 32) == 2);
  CHECK(le16(bytes, 34) == 16);
  CHECK(bytes.substr(36, 4) == "data");
  CHECK(le32(bytes, 40) == 2 * samples.size());
  for (size_t i = 0; i < samples.size(); ++i)
    CHECK(static_cast<int16_t>(le16(bytes, 44 + 2 * i)) == samples[i]);
}

TEST_CASE("an unknown format or a bad sample rate is refused as "
          "INVALID_REQUEST",
          "[io]") {
  auto samples = tone(tone_rate, 0.1);
  for (const auto* format : {"ogg", "s16le", "WAV", ""}) {
    INFO(format);
    try {
      encode_audio(samples, tone_rate, format);
      FAIL("encoding succeeded");
    } catch (const audio_error& e) {
      CHECK(e.code() == error_code::invalid_request);
    }
  }
  try {
    encode_audio(samples, 0, "wav");
    FAIL("encoding succeeded");
  } catch (const audio_error& e) {
    CHECK(e.code() == error_code::invalid_request);
  }
}
