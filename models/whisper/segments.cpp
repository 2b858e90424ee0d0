#include "models/whisper/segments.hpp"

#include <algorithm>
#include <cmath>

namespace parley::whisper {

namespace {

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\n\r");
  if (first == std::string::npos)
    return {};
  auto last = text.find_last_not_of(" \t\n\r");
  return text.substr(first, last - first + 1);
}

} // namespace

std::vector<transcript_segment>
timestamp_segments(const std::vector<int64_t>& tokens,
                   const std::vector<float>& log_probs, int64_t timestamp_begin,
                   const tokenizer& vocabulary, uint32_t offset_ms,
                   uint32_t duration_ms) {
  std::vector<transcript_segment> out;
  // Timestamps past the audio (in the window's padding) end with it.
  auto to_ms = [&](int64_t token) {
    return offset_ms
           + std::min(static_cast<uint32_t>(token - timestamp_begin)
                          * ms_per_timestamp,
                      duration_ms);
  };
  int64_t start = -1;
  uint32_t last_end_ms = offset_ms;
  std::vector<int64_t> text;
  double log_prob = 0;
  size_t count = 0;
  auto emit = [&](uint32_t start_ms, uint32_t end_ms) {
    auto words = trim(vocabulary.decode(text));
    if (!words.empty())
      out.push_back({words, start_ms, std::max(start_ms, end_ms),
                     static_cast<float>(std::exp(log_prob / count))});
    text.clear();
    log_prob = 0;
    count = 0;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto token = tokens[i];
    log_prob += i < log_probs.size() ? log_probs[i] : 0.0f;
    ++count;
    if (token < timestamp_begin) {
      text.push_back(token);
      continue;
    }
    // the first timestamp of a pair opens a segment, the second closes it
    if (start < 0) {
      start = token;
      continue;
    }
    last_end_ms = to_ms(token);
    emit(to_ms(start), last_end_ms);
    start = -1;
  }
  if (!text.empty())
    emit(start >= 0 ? to_ms(start) : last_end_ms, offset_ms + duration_ms);
  return out;
}

} // namespace parley::whisper
