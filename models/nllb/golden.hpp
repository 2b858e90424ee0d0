#pragma once

#include <string>

#include <c10/core/Device.h>

#include "models/golden_report.hpp"

namespace parley::nllb {

/// The golden check of an M2M100/NLLB checkpoint: the encoder output on
/// unmasked positions, the step log-probabilities of a cached greedy decode,
/// the greedy ids, and the teacher-forced logits.
golden_report run_golden(const std::string& dir,
                         transformer::compute_type type);

/// As `run_golden`, with the model on `device` (the CPU or a CUDA device);
/// the tensors come back to the CPU to be compared.
golden_report run_golden_on(const std::string& dir,
                            transformer::compute_type type, c10::Device device);

} // namespace parley::nllb
