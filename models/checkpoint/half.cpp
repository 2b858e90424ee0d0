#include "models/checkpoint/half.hpp"

#include <cstring>

namespace parley {

namespace {

uint32_t bits_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

float float_of(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

} // namespace

uint16_t float_to_half(float value) {
  uint32_t f = bits_of(value);
  uint32_t sign = (f >> 16) & 0x8000u;
  uint32_t abs = f & 0x7fffffffu;
  if (abs >= 0x7f800000u) // inf or NaN; NaN stays quiet NaN
    return static_cast<uint16_t>(sign | 0x7c00u
                                 | (abs > 0x7f800000u ? 0x200u : 0));
  if (abs >= 0x477ff000u) // rounds to above the largest half
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (abs < 0x38800000u) { // below the smallest normal half: subnormal or 0
    // Adding 0.5 makes the FPU do the round-to-nearest-even shift for us.
    float scaled = float_of(abs) + 0.5f;
    return static_cast<uint16_t>(sign | (bits_of(scaled) - bits_of(0.5f)));
  }
  uint32_t odd = (abs >> 13) & 1u;
  abs += 0xc8000fffu + odd; // rebias exponent (-112 << 23) and round
  return static_cast<uint16_t>(sign | (abs >> 13));
}

float half_to_float(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  uint32_t exponent = (bits >> 10) & 0x1fu;
  uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0x1f)
    return float_of(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) // subnormal or zero: mantissa × 2^-24
    return float_of(sign) + (sign ? -1.0f : 1.0f) * mantissa * 5.9604645e-8f;
  return float_of(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

uint16_t float_to_bfloat16(float value) {
  uint32_t f = bits_of(value);
  if ((f & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((f >> 16) | 0x40u);
  f += 0x7fffu + ((f >> 16) & 1u);
  return static_cast<uint16_t>(f >> 16);
}

float bfloat16_to_float(uint16_t bits) {
  return float_of(static_cast<uint32_t>(bits) << 16);
}

} // namespace parley
