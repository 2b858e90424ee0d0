#pragma once

// Timestamped segments from the tokens Whisper sampled. Torch-free.

#include <cstdint>
#include <vector>

#include "messages/speech.hpp"
#include "models/whisper/tokenizer.hpp"

namespace parley::whisper {

/// One timestamp token is 20 ms (two 10 ms mel frames).
constexpr uint32_t ms_per_timestamp = 20;

/// Cuts sampled `tokens` (with their `log_probs`) into segments as Whisper
/// does: a segment runs from a timestamp token to the next, text after the
/// last timestamp runs to the end of the audio (`duration_ms`). Times are
/// (token - timestamp_begin) × 20 ms, at most `duration_ms`, plus
/// `offset_ms`; a segment's confidence is exp(mean log-probability of its
/// tokens). Segments with no text are left out.
std::vector<transcript_segment>
timestamp_segments(const std::vector<int64_t>& tokens,
                   const std::vector<float>& log_probs, int64_t timestamp_begin,
                   const tokenizer& vocabulary, uint32_t offset_ms,
                   uint32_t duration_ms);

} // namespace parley::whisper
