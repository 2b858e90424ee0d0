#include "models/golden_report.hpp"

namespace parley {

bool golden_report::passed() const {
  if (checks.empty())
    return false;
  for (const auto& check : checks)
    if (!check.passed)
      return false;
  return true;
}

double golden_tolerance(transformer::compute_type type) {
  // Absolute, on fixtures whose logits stay within +-10. bfloat16 keeps 8
  // bits of mantissa (a relative step of 0.4%), int8 127 steps per output
  // channel (0.8% of its largest weight), and activations round as well; on
  // the fixtures the largest differences seen were 0.05 (bfloat16), 0.16
  // (int8) and 0.11 (int8_bfloat16), all on Whisper's teacher-forced logits.
  // float16 (CUDA) keeps 11 bits of mantissa but runs its activations in
  // float16 too; it gets bfloat16's bound.
  switch (type) {
  case transformer::compute_type::float32:
    return 1e-4; // fixtures/README.md: the same float32 math
  case transformer::compute_type::bfloat16:
  case transformer::compute_type::float16:
    return 0.1;
  case transformer::compute_type::int8:
  case transformer::compute_type::int8_bfloat16:
    return 0.25;
  }
  return 0;
}

} // namespace parley
