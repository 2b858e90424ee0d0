#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parley::speech {

/// Converts float samples in [-1, 1] to 16-bit PCM, clamping values outside.
std::vector<int16_t> to_pcm16(const std::vector<float>& samples);

/// The duration of `sample_count` samples at `sample_rate`, rounded to ms.
uint32_t duration_ms(std::size_t sample_count, int sample_rate);

} // namespace parley::speech
