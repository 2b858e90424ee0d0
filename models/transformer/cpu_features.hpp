#pragma once

// What the CPU offers for matrix products, read once with cpuid. Torch-free:
// the compute-type choice and the benchmarks print it.

#include <string>

namespace parley::transformer {

/// The instruction-set extensions that decide which compute type runs fast.
/// Each flag is set only when the CPU has it and the operating system saves
/// its registers (XCR0), so a flag means "usable here".
struct cpu_features {
  /// The brand string, e.g. "AMD EPYC 9R45" (empty when the CPU has none).
  std::string model;
  bool avx2 = false;
  bool avx512f = false;
  /// AVX-512 VNNI: int8 dot products on 512-bit registers.
  bool avx512_vnni = false;
  /// AVX-VNNI: the same on 256-bit registers (Alder Lake, Zen 5).
  bool avx_vnni = false;
  /// AVX-512 BF16: bfloat16 dot products (Cooper Lake, Zen 4 and later).
  bool avx512_bf16 = false;
  /// AMX tiles with bfloat16 and int8 products (Sapphire Rapids and later).
  bool amx_bf16 = false;
  bool amx_int8 = false;

  /// "avx2 avx512f avx512_vnni ..." for logs and benchmark headers; "none"
  /// when none of them is present.
  std::string describe() const;
};

/// The features of the CPU this process runs on, detected once.
const cpu_features& host_cpu_features();

} // namespace parley::transformer
