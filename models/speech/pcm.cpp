#include "models/speech/pcm.hpp"

#include <algorithm>
#include <cmath>

namespace parley::speech {

std::vector<int16_t> to_pcm16(const std::vector<float>& samples) {
  std::vector<int16_t> result;
  result.reserve(samples.size());
  for (float sample : samples) {
    // NaN compares false everywhere; it becomes silence rather than noise.
    float clamped = std::isnan(sample) ? 0.0f : std::clamp(sample, -1.0f, 1.0f);
    result.push_back(static_cast<int16_t>(std::lround(clamped * 32767.0f)));
  }
  return result;
}

uint32_t duration_ms(std::size_t sample_count, int sample_rate) {
  if (sample_rate <= 0)
    return 0;
  return static_cast<uint32_t>((sample_count * 1000 + sample_rate / 2)
                               / static_cast<size_t>(sample_rate));
}

} // namespace parley::speech
