// `parley golden DIR [--compute-type TYPE]`: checks a checkpoint against its
// recorded outputs in every compute type this CPU runs fast (or in TYPE).

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "models/golden.hpp"
#include "tools/arguments.hpp"
#include "tools/commands.hpp"

namespace parley {

namespace {

void print_report(const golden_report& report) {
  std::printf("%s in %s (tolerance %.2g on model tensors)\n",
              report.model_type.c_str(), report.compute_type.c_str(),
              golden_tolerance(
                *transformer::parse_compute_type(report.compute_type)));
  for (const auto& check : report.checks) {
    if (!check.detail.empty())
      std::printf("  %-24s %s  %s\n", check.tensor.c_str(),
                  check.detail.c_str(), check.passed ? "ok" : "FAIL");
    else if (check.tensor == "greedy_ids")
      std::printf("  %-24s %.0f ids differ from float32  %s\n",
                  check.tensor.c_str(), check.max_abs_diff,
                  check.passed ? "ok" : "FAIL");
    else
      std::printf("  %-24s max abs diff %.3g (tolerance %.2g)  %s\n",
                  check.tensor.c_str(), check.max_abs_diff, check.tolerance,
                  check.passed ? "ok" : "FAIL");
  }
}

} // namespace

int run_golden_check(int argc, char** argv) {
  try {
    arguments args{argc, argv, 2};
    args.expect_only({"compute-type"});
    if (args.positionals().size() != 1)
      throw std::invalid_argument("usage: parley golden DIR "
                                  "[--compute-type TYPE]");
    const auto& dir = args.positionals()[0];
    std::vector<transformer::compute_type> types;
    if (args.has("compute-type")) {
      auto name = args.get("compute-type", "");
      auto type = transformer::parse_compute_type(name);
      if (!type)
        throw std::invalid_argument("no compute type '" + name + "'");
      types.push_back(*type);
    } else {
      types = transformer::all_compute_types();
    }
    const auto& cpu = transformer::host_cpu_features();
    bool passed = true;
    std::printf("%s\n", dir.c_str());
    for (auto type : types) {
      auto why_slow = transformer::slow_reason(type, cpu);
      if (!why_slow.empty()) {
        std::printf("%s: skipped, %s\n", to_string(type), why_slow.c_str());
        continue;
      }
      auto report = run_golden(dir, type);
      print_report(report);
      passed = passed && report.passed();
    }
    std::printf("%s\n", passed ? "PASS" : "FAIL");
    return passed ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "parley golden: " << e.what() << '\n';
    return 2;
  }
}

} // namespace parley
