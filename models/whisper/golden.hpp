#pragma once

#include <string>

#include "models/golden.hpp"

namespace parley::whisper {

/// The golden check of a Whisper checkpoint: the log-mel front end on the
/// recorded waveform, the encoder output, the greedy ids from the recorded
/// prompt, and the teacher-forced logits.
golden_report run_golden(const std::string& dir,
                         transformer::compute_type type);

} // namespace parley::whisper
