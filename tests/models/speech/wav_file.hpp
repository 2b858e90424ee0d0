// Test helpers for speech: a RIFF/WAVE reader for 16-bit PCM fixtures and
// the small signal measures the speech tests check.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::test {

/// A decoded 16-bit PCM WAVE file, samples as floats in [-1, 1].
struct wav_audio {
  int sample_rate = 0;
  int channels = 0;
  std::vector<float> samples;
};

inline uint32_t read_le(const std::vector<unsigned char>& bytes, size_t at,
                        size_t width) {
  if (at + width > bytes.size())
    throw std::runtime_error("wav: truncated file");
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i)
    value |= static_cast<uint32_t>(bytes[at + i]) << (8 * i);
  return value;
}

/// Reads a PCM WAVE file with 16-bit samples; walks the chunks, so extra
/// chunks (LIST, fact) before `data` are skipped.
inline wav_audio read_wav(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw std::runtime_error("wav: cannot open " + path);
  std::vector<unsigned char> bytes{std::istreambuf_iterator<char>{in}, {}};
  if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0
      || std::memcmp(bytes.data() + 8, "WAVE", 4) != 0)
    throw std::runtime_error("wav: not a RIFF/WAVE file: " + path);
  wav_audio audio;
  int bits = 0;
  for (size_t at = 12; at + 8 <= bytes.size();) {
    std::string id(reinterpret_cast<const char*>(&bytes[at]), 4);
    auto size = read_le(bytes, at + 4, 4);
    auto body = at + 8;
    if (id == "fmt ") {
      if (read_le(bytes, body, 2) != 1)
        throw std::runtime_error("wav: not PCM: " + path);
      audio.channels = static_cast<int>(read_le(bytes, body + 2, 2));
      audio.sample_rate = static_cast<int>(read_le(bytes, body + 4, 4));
      bits = static_cast<int>(read_le(bytes, body + 14, 2));
    } else if (id == "data") {
      if (bits != 16)
        throw std::runtime_error("wav: not 16-bit: " + path);
      auto end = std::min<size_t>(body + size, bytes.size());
      for (size_t i = body; i + 1 < end; i += 2) {
        auto value = static_cast<int16_t>(read_le(bytes, i, 2));
        audio.samples.push_back(static_cast<float>(value) / 32768.0f);
      }
      return audio;
    }
    at = body + size + (size & 1);
  }
  throw std::runtime_error("wav: no data chunk: " + path);
}

/// Root mean square of 16-bit samples, in [0, 1] of full scale.
inline double rms(const std::vector<int16_t>& samples) {
  if (samples.empty())
    return 0;
  double sum = 0;
  for (auto sample : samples) {
    double x = sample / 32768.0;
    sum += x * x;
  }
  return std::sqrt(sum / samples.size());
}

/// Converts 16-bit PCM at `from_rate` to floats at `to_rate` by linear
/// interpolation; enough for speech that is then recognized, not heard.
inline std::vector<float> resample(const std::vector<int16_t>& samples,
                                   int from_rate, int to_rate) {
  std::vector<float> result;
  if (samples.empty())
    return result;
  auto count = static_cast<size_t>(static_cast<double>(samples.size()) * to_rate
                                   / from_rate);
  result.reserve(count);
  double step = static_cast<double>(from_rate) / to_rate;
  for (size_t i = 0; i < count; ++i) {
    double position = i * step;
    auto left = static_cast<size_t>(position);
    auto right = std::min(left + 1, samples.size() - 1);
    double fraction = position - static_cast<double>(left);
    double value = samples[left] * (1 - fraction) + samples[right] * fraction;
    result.push_back(static_cast<float>(value / 32768.0));
  }
  return result;
}

} // namespace parley::test
