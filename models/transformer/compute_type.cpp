#include "models/transformer/compute_type.hpp"

#include <stdexcept>

namespace parley::transformer {

namespace {

bool has_bf16(const cpu_features& cpu) {
  return cpu.avx512_bf16 || cpu.amx_bf16;
}

/// The type a request falls back to on a CPU that cannot run it fast.
compute_type fallback(compute_type type, const cpu_features& cpu) {
  if (type == compute_type::int8_bfloat16 && cpu.avx2)
    return compute_type::int8;
  return compute_type::float32;
}

compute_choice pick_fastest(const cpu_features& cpu) {
  if (cpu.amx_bf16 && cpu.amx_int8)
    return {compute_type::int8_bfloat16,
            "AMX: bfloat16 tiles for the many-row products, int8 for the "
            "decoding steps, which are bound by reading the weights",
            false};
  if (cpu.avx512_vnni || cpu.avx_vnni)
    return {compute_type::int8,
            "VNNI int8 dot products and no AMX: int8 reads a quarter of the "
            "float32 bytes and its products ran fastest",
            false};
  if (cpu.avx512_bf16)
    return {compute_type::bfloat16,
            "AVX512_BF16 without VNNI: bfloat16 products through oneDNN",
            false};
  if (cpu.avx2)
    return {compute_type::int8,
            "AVX2 without VNNI or BF16: int8 still reads a quarter of the "
            "float32 bytes",
            false};
  return {compute_type::float32, "no AVX2: the float32 kernels", false};
}

} // namespace

const char* to_string(compute_type type) {
  switch (type) {
  case compute_type::float32:
    return "float32";
  case compute_type::bfloat16:
    return "bfloat16";
  case compute_type::int8:
    return "int8";
  case compute_type::int8_bfloat16:
    return "int8_bfloat16";
  case compute_type::float16:
    return "float16";
  }
  return "?";
}

bool uses_int8(compute_type type) {
  return type == compute_type::int8 || type == compute_type::int8_bfloat16;
}

bool uses_bfloat16(compute_type type) {
  return type == compute_type::bfloat16 || type == compute_type::int8_bfloat16;
}

const std::vector<compute_type>& all_compute_types() {
  static const std::vector<compute_type> types{
      compute_type::float32, compute_type::bfloat16, compute_type::int8,
      compute_type::int8_bfloat16};
  return types;
}

const std::vector<compute_type>& cuda_compute_types() {
  static const std::vector<compute_type> types{
      compute_type::float16, compute_type::bfloat16, compute_type::float32};
  return types;
}

std::optional<compute_type> parse_compute_type(const std::string& name) {
  for (auto type : all_compute_types())
    if (name == to_string(type))
      return type;
  if (name == to_string(compute_type::float16))
    return compute_type::float16;
  return std::nullopt;
}

std::string slow_reason(compute_type type, const cpu_features& cpu) {
  bool int8 = uses_int8(type);
  bool bf16 =
      type == compute_type::bfloat16 || type == compute_type::int8_bfloat16;
  if (type == compute_type::float16)
    return "float16 runs only on CUDA";
  if (int8 && !cpu.avx2)
    return "this CPU has no AVX2, which the int8 kernels need";
  if (bf16 && !has_bf16(cpu))
    return "this CPU has neither AVX512_BF16 nor AMX-BF16; oneDNN would "
           "emulate bfloat16 products slower than float32";
  return {};
}

compute_choice choose_compute_type(const std::string& requested,
                                   const cpu_features& cpu) {
  if (requested == "auto")
    return pick_fastest(cpu);
  auto type = parse_compute_type(requested);
  if (!type)
    throw std::invalid_argument(
        "compute_type must be auto, float32, bfloat16, int8, int8_bfloat16 "
        "or float16, not '"
        + requested + "'");
  auto why_slow = slow_reason(*type, cpu);
  if (why_slow.empty())
    return {*type, "requested", false};
  auto replacement = fallback(*type, cpu);
  return {replacement,
          requested + " requested, but " + why_slow + "; using "
              + to_string(replacement),
          true};
}

compute_choice choose_cuda_compute_type(const std::string& requested) {
  if (requested == "auto")
    return {compute_type::float16, "CUDA: float16 on tensor cores", false};
  auto type = parse_compute_type(requested);
  if (!type)
    return choose_compute_type(requested, cpu_features{}); // throws
  if (uses_int8(*type))
    throw std::invalid_argument("compute_type " + requested
                                + " has only CPU kernels; on CUDA use "
                                  "float16, bfloat16 or float32");
  return {*type, "requested", false};
}

} // namespace parley::transformer
