#pragma once

#include <string>

#include "models/golden.hpp"

namespace parley::nllb {

/// The golden check of an M2M100/NLLB checkpoint: the encoder output on
/// unmasked positions, the step log-probabilities of a cached greedy decode,
/// the greedy ids, and the teacher-forced logits.
golden_report run_golden(const std::string& dir,
                         transformer::compute_type type);

} // namespace parley::nllb
