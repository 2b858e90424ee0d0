#include "io/media/audio_wav.hpp"

#include <stdexcept>

namespace parley {

namespace {

constexpr uint32_t header_bytes = 44;
constexpr size_t max_chunks = 64;
// Writers that cannot seek back leave the size at or near the maximum.
constexpr uint32_t first_placeholder_size = 0x7fff0000;

void put_u16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>(value >> 8));
}

void put_u32(std::string& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8)
    out.push_back(static_cast<char>((value >> shift) & 0xff));
}

uint32_t get_u32(std::string_view bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i)
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i]))
             << (8 * i);
  return value;
}

} // namespace

std::string write_wav(const std::vector<int16_t>& samples, int sample_rate) {
  constexpr uint16_t channels = 1;
  constexpr uint16_t bytes_per_sample = 2;
  auto data_bytes = samples.size() * bytes_per_sample;
  if (sample_rate <= 0 || data_bytes > UINT32_MAX - header_bytes)
    throw std::invalid_argument("write_wav: bad sample rate or too long");
  auto rate = static_cast<uint32_t>(sample_rate);
  std::string out;
  out.reserve(header_bytes + data_bytes);
  out += "RIFF";
  put_u32(out, static_cast<uint32_t>(header_bytes - 8 + data_bytes));
  out += "WAVEfmt ";
  put_u32(out, /*fmt chunk bytes=*/16);
  put_u16(out, /*PCM=*/1);
  put_u16(out, channels);
  put_u32(out, rate);
  put_u32(out, rate * channels * bytes_per_sample);
  put_u16(out, channels * bytes_per_sample);
  put_u16(out, /*bits per sample=*/16);
  out += "data";
  put_u32(out, static_cast<uint32_t>(data_bytes));
  for (auto sample : samples)
    put_u16(out, static_cast<uint16_t>(sample));
  return out;
}

std::optional<double> wav_declared_seconds(std::string_view bytes) {
  if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF"
      || bytes.substr(8, 4) != "WAVE")
    return std::nullopt;
  uint32_t byte_rate = 0;
  size_t offset = 12;
  for (size_t chunk = 0; chunk < max_chunks && offset + 8 <= bytes.size();
       ++chunk) {
    auto id = bytes.substr(offset, 4);
    auto size = get_u32(bytes, offset + 4);
    auto body = offset + 8;
    if (id == "fmt " && size >= 12 && body + 12 <= bytes.size())
      byte_rate = get_u32(bytes, body + 8);
    if (id == "data") {
      if (byte_rate == 0 || size == 0 || size >= first_placeholder_size)
        return std::nullopt;
      return static_cast<double>(size) / byte_rate;
    }
    offset = body + size + (size & 1);
  }
  return std::nullopt;
}

} // namespace parley
