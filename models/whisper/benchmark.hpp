#pragma once

// Timing of the Whisper model itself (encoder and greedy steps), for the
// GPU check's decoding benchmark. Torch-free header.

#include <cstdint>
#include <string>

#include "models/checkpoint_hooks.hpp"

namespace parley::whisper {

/// Encodes `batch` random 30 s log-mel windows with the checkpoint in `dir`
/// in compute type `compute_type` on `device` ("cpu" or "cuda:N"), then
/// greedy-decodes `new_tokens` steps after a 4-token prompt without
/// stopping at end-of-text, after one warm-up run. Each step ends with its
/// ids on the CPU, as a search's do.
decode_timing time_decoding(const std::string& dir,
                            const std::string& compute_type, int64_t batch,
                            int64_t new_tokens, const std::string& device,
                            uint64_t seed);

} // namespace parley::whisper
