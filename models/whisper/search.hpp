#pragma once

// Internals of models/whisper/generate.cpp shared with the beam search.

#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/whisper/generate.hpp"

namespace parley::whisper {

/// How many tokens decoding may sample after `prompt`.
int64_t sample_limit(const model& m, const std::vector<int64_t>& prompt,
                     const decode_options& options);

/// Feeds the prompt tokens `state` does not hold yet, on every row of
/// `state`; returns the logits [rows, vocab] after the last one.
at::Tensor feed_prompt(const model& m, decoder_state& state,
                       const std::vector<int64_t>& prompt);

} // namespace parley::whisper
