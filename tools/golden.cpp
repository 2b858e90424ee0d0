// `parley golden DIR`: checks a checkpoint against its recorded outputs.

#include <cstdio>
#include <iostream>

#include "models/golden.hpp"
#include "tools/commands.hpp"

namespace parley {

int run_golden_check(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: parley golden DIR\n";
    return 2;
  }
  try {
    auto report = run_golden(argv[2]);
    std::printf("%s: %s\n", argv[2], report.model_type.c_str());
    for (const auto& check : report.checks) {
      if (!check.detail.empty())
        std::printf("  %-24s %s  %s\n", check.tensor.c_str(), check.detail.c_str(),
                    check.passed ? "ok" : "FAIL");
      else
        std::printf("  %-24s max abs diff %.3g (tolerance %.0e)  %s\n",
                    check.tensor.c_str(), check.max_abs_diff, check.tolerance,
                    check.passed ? "ok" : "FAIL");
    }
    std::printf("%s\n", report.passed() ? "PASS" : "FAIL");
    return report.passed() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "parley golden: " << e.what() << '\n';
    return 2;
  }
}

} // namespace parley
