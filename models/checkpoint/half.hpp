#pragma once

// IEEE half and bfloat16 conversions, for writing and checking 16-bit
// checkpoints without libtorch.

#include <cstdint>

namespace parley {

/// `value` as IEEE binary16 bits, rounded to nearest even (inf on overflow).
uint16_t float_to_half(float value);
/// The float that IEEE binary16 `bits` stands for.
float half_to_float(uint16_t bits);
/// `value` as bfloat16 bits, rounded to nearest even.
uint16_t float_to_bfloat16(float value);
/// The float that bfloat16 `bits` stands for.
float bfloat16_to_float(uint16_t bits);

} // namespace parley
