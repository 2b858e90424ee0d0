#include "models/transformer/cpu_features.hpp"

#include <cpuid.h>
#include <cstdint>
#include <cstring>

namespace parley::transformer {

namespace {

struct registers {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

registers cpuid(uint32_t leaf, uint32_t subleaf = 0) {
  registers r;
  if (__get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx) == 0)
    return {};
  return r;
}

bool bit(uint32_t value, int index) {
  return ((value >> index) & 1u) != 0;
}

/// The register states the operating system saves on a context switch
/// (XCR0); an extension whose registers it does not save is unusable.
uint64_t saved_states() {
  uint32_t low = 0, high = 0;
  __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (static_cast<uint64_t>(high) << 32) | low;
}

std::string brand_string() {
  if (cpuid(0x80000000).eax < 0x80000004)
    return {};
  char text[49] = {};
  for (uint32_t i = 0; i < 3; ++i) {
    auto r = cpuid(0x80000002 + i);
    std::memcpy(text + 16 * i, &r, 16);
  }
  std::string brand{text};
  auto first = brand.find_first_not_of(' ');
  auto last = brand.find_last_not_of(' ');
  return first == std::string::npos ? std::string{}
                                    : brand.substr(first, last - first + 1);
}

cpu_features detect() {
  cpu_features f;
  f.model = brand_string();
  auto basic = cpuid(1);
  // OSXSAVE: without it XCR0 cannot be read and no AVX state is saved.
  if (!bit(basic.ecx, 27))
    return f;
  auto states = saved_states();
  bool avx_state = (states & 0x6) == 0x6;                   // SSE and AVX
  bool avx512_state = avx_state && (states & 0xe0) == 0xe0; // opmask, ZMM
  bool amx_state = (states & 0x60000) == 0x60000; // XTILECFG, XTILEDATA
  auto leaf7 = cpuid(7, 0);
  auto leaf7_1 = cpuid(7, 1);
  f.avx2 = avx_state && bit(leaf7.ebx, 5);
  f.avx512f = avx512_state && bit(leaf7.ebx, 16);
  f.avx512_vnni = f.avx512f && bit(leaf7.ecx, 11);
  f.avx_vnni = avx_state && bit(leaf7_1.eax, 4);
  f.avx512_bf16 = f.avx512f && bit(leaf7_1.eax, 5);
  f.amx_bf16 = amx_state && bit(leaf7.edx, 22);
  f.amx_int8 = amx_state && bit(leaf7.edx, 25);
  return f;
}

} // namespace

std::string cpu_features::describe() const {
  std::string text;
  auto add = [&](bool present, const char* name) {
    if (!present)
      return;
    if (!text.empty())
      text += ' ';
    text += name;
  };
  add(avx2, "avx2");
  add(avx512f, "avx512f");
  add(avx_vnni, "avx_vnni");
  add(avx512_vnni, "avx512_vnni");
  add(avx512_bf16, "avx512_bf16");
  add(amx_bf16, "amx_bf16");
  add(amx_int8, "amx_int8");
  return text.empty() ? "none" : text;
}

const cpu_features& host_cpu_features() {
  static const cpu_features features = detect();
  return features;
}

} // namespace parley::transformer
