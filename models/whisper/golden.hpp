#pragma once

#include <string>

#include <c10/core/Device.h>

#include "models/golden_report.hpp"

namespace parley::whisper {

/// The golden check of a Whisper checkpoint: the log-mel front end on the
/// recorded waveform, the encoder output, the greedy ids from the recorded
/// prompt, and the teacher-forced logits.
golden_report run_golden(const std::string& dir,
                         transformer::compute_type type);

/// As `run_golden`, with the model on `device` (the CPU or a CUDA device);
/// the tensors come back to the CPU to be compared.
golden_report run_golden_on(const std::string& dir,
                            transformer::compute_type type, c10::Device device);

} // namespace parley::whisper
