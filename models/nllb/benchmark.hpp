#pragma once

// Timing of the NLLB model itself, for `parley bench model`. Torch-free
// header so that tools/ stays free of libtorch.

#include <cstdint>
#include <string>

#include "models/checkpoint_hooks.hpp"

namespace parley::nllb {

using parley::decode_timing;

/// Greedy-decodes `batch` random sources of `source_tokens` tokens for
/// `new_tokens` steps with the checkpoint in `dir` in the compute type named
/// `compute_type` (as named by the option, "auto" excluded), after one
/// warm-up run, with `threads` intra-op threads, on `device` ("cpu" or
/// "cuda:N"). Each step ends with its ids on the CPU, as a search's do.
decode_timing time_decoding(const std::string& dir,
                            const std::string& compute_type, int64_t batch,
                            int64_t source_tokens, int64_t new_tokens,
                            int threads, uint64_t seed,
                            const std::string& device = "cpu");

/// The machine's memory copy bandwidth in bytes/s (best of a few copies of
/// a buffer much larger than the caches).
double measure_copy_bandwidth();

} // namespace parley::nllb
