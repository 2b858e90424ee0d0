#pragma once

// Helpers for the audio tests: the fixture read with a RIFF parser of its
// own, the ffmpeg command as an independent encoder, and signal measures.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"
#include "tools/subprocess.hpp"

namespace parley::test {

inline std::string jfk_path() {
  return std::string{PARLEY_FIXTURES_DIR} + "/audio/jfk.wav";
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out);
}

inline uint32_t le32(const std::string& bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i)
    value |= uint32_t{static_cast<uint8_t>(bytes.at(offset + i))} << (8 * i);
  return value;
}

inline uint16_t le16(const std::string& bytes, size_t offset) {
  return static_cast<uint16_t>(static_cast<uint8_t>(bytes.at(offset))
                               | static_cast<uint8_t>(bytes.at(offset + 1))
                                     << 8);
}

/// A PCM WAV file as its header describes it.
struct wav_file {
  uint16_t channels = 0;
  uint32_t sample_rate = 0;
  uint16_t bits = 0;
  size_t data_offset = 0;
  uint32_t data_bytes = 0;
  std::vector<int16_t> samples;
};

/// Walks the RIFF chunks of a 16-bit PCM WAV file.
inline wav_file parse_wav(const std::string& bytes) {
  REQUIRE(bytes.substr(0, 4) == "RIFF");
  REQUIRE(bytes.substr(8, 4) == "WAVE");
  wav_file wav;
  size_t offset = 12;
  while (offset + 8 <= bytes.size()) {
    auto id = bytes.substr(offset, 4);
    auto size = le32(bytes, offset + 4);
    if (id == "fmt ") {
      REQUIRE(le16(bytes, offset + 8) == 1);
      wav.channels = le16(bytes, offset + 10);
      wav.sample_rate = le32(bytes, offset + 12);
      wav.bits = le16(bytes, offset + 22);
    } else if (id == "data") {
      wav.data_offset = offset + 8;
      wav.data_bytes = size;
      REQUIRE(wav.data_offset + size <= bytes.size());
      for (size_t i = 0; i + 1 < size; i += 2)
        wav.samples.push_back(
            static_cast<int16_t>(le16(bytes, wav.data_offset + i)));
      return wav;
    }
    offset += 8 + size + (size & 1);
  }
  FAIL("no data chunk");
  return wav;
}

/// Runs the ffmpeg command on `input` with `args` before the output file
/// `output`; returns the output's bytes.
inline std::string run_ffmpeg(const std::string& input,
                              const std::vector<std::string>& args,
                              const std::string& output) {
  std::vector<std::string> argv{"/usr/bin/ffmpeg", "-y", "-loglevel",
                                "error",           "-i", input};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(output);
  auto result = run_command(argv);
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  return read_bytes(output);
}

inline std::vector<float> to_float(const std::vector<int16_t>& samples) {
  std::vector<float> out;
  out.reserve(samples.size());
  for (auto sample : samples)
    out.push_back(static_cast<float>(sample) / 32768.0f);
  return out;
}

inline double dot(const std::vector<float>& a, size_t a_begin,
                  const std::vector<float>& b, size_t b_begin, size_t count) {
  double sum = 0;
  for (size_t i = 0; i < count; ++i)
    sum += double{a[a_begin + i]} * b[b_begin + i];
  return sum;
}

/// The normalized cross-correlation of `a` and `b` where `b` lags `a` by
/// `lag` samples, over all the samples they share.
inline double correlation_at(const std::vector<float>& a,
                             const std::vector<float>& b, long lag) {
  size_t a_begin = lag < 0 ? static_cast<size_t>(-lag) : 0;
  size_t b_begin = lag > 0 ? static_cast<size_t>(lag) : 0;
  if (a_begin >= a.size() || b_begin >= b.size())
    return 0;
  auto count = std::min(a.size() - a_begin, b.size() - b_begin);
  auto norm = std::sqrt(dot(a, a_begin, a, a_begin, count)
                        * dot(b, b_begin, b, b_begin, count));
  return norm > 0 ? dot(a, a_begin, b, b_begin, count) / norm : 0;
}

struct alignment {
  long lag = 0;
  double correlation = 0;
};

/// Finds the lag within ±`max_lag` that best aligns `b` to `a` (encoders
/// add delay), matching a three-second stretch from the middle of `a`, and
/// returns the correlation over everything they share at that lag.
inline alignment align(const std::vector<float>& a, const std::vector<float>& b,
                       long max_lag) {
  size_t window = 3 * 16000;
  REQUIRE(a.size() > window + 2 * static_cast<size_t>(max_lag));
  size_t start = (a.size() - window) / 2;
  alignment best;
  double best_score = -1;
  for (long lag = -max_lag; lag <= max_lag; ++lag) {
    auto b_start = static_cast<long>(start) + lag;
    if (b_start < 0 || static_cast<size_t>(b_start) + window > b.size())
      continue;
    auto score = dot(a, start, b, static_cast<size_t>(b_start), window);
    if (score > best_score) {
      best_score = score;
      best.lag = lag;
    }
  }
  best.correlation = correlation_at(a, b, best.lag);
  return best;
}

/// The frequency between `low_hz` and `high_hz`, in 1 Hz steps, with the
/// most energy (Goertzel's algorithm, one DFT bin at a time).
inline double dominant_frequency(const std::vector<float>& samples, int rate,
                                 int low_hz, int high_hz) {
  double best_power = -1;
  int best_hz = 0;
  for (int hz = low_hz; hz <= high_hz; ++hz) {
    double coeff = 2 * std::cos(2 * M_PI * hz / rate);
    double s1 = 0;
    double s2 = 0;
    for (auto sample : samples) {
      double s0 = sample + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    auto power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if (power > best_power) {
      best_power = power;
      best_hz = hz;
    }
  }
  return best_hz;
}

/// How often the signal changes sign, per second.
inline double zero_crossings_per_second(const std::vector<float>& samples,
                                        int rate) {
  size_t crossings = 0;
  for (size_t i = 1; i < samples.size(); ++i)
    if ((samples[i - 1] < 0) != (samples[i] < 0))
      ++crossings;
  return static_cast<double>(crossings) * rate / samples.size();
}

inline std::string random_bytes(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string bytes(count, '\0');
  for (auto& byte : bytes)
    byte = static_cast<char>(rng() & 0xff);
  return bytes;
}

} // namespace parley::test
