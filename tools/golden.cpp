// `parley golden DIR [--compute-type TYPE]`: checks a checkpoint against its
// recorded outputs in every compute type this CPU runs fast (or in TYPE).

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "models/golden.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"

namespace parley {

namespace {

/// What `parley golden` was asked.
struct golden_options {
  std::string dir;
  /// Empty: every compute type this CPU runs fast.
  std::optional<std::string> compute_type;
};

void print_report(const golden_report& report) {
  std::printf(
      "%s in %s (tolerance %.2g on model tensors)\n", report.model_type.c_str(),
      report.compute_type.c_str(),
      golden_tolerance(*transformer::parse_compute_type(report.compute_type)));
  for (const auto& check : report.checks) {
    if (!check.detail.empty())
      std::printf("  %-24s %s  %s\n", check.tensor.c_str(),
                  check.detail.c_str(), check.passed ? "ok" : "FAIL");
    else if (check.tensor == "greedy_ids")
      std::printf("  %-24s %.0f rows differ from float32 (%zu at a near-tie "
                  "below %.2g)  %s\n",
                  check.tensor.c_str(), check.max_abs_diff,
                  check.near_ties.size(), check.tolerance,
                  check.passed ? "ok" : "FAIL");
    else
      std::printf("  %-24s max abs diff %.3g (tolerance %.2g)  %s\n",
                  check.tensor.c_str(), check.max_abs_diff, check.tolerance,
                  check.passed ? "ok" : "FAIL");
    for (const auto& tie : check.near_ties)
      std::printf("    near-tie: %s\n", tie.c_str());
  }
}

int run_golden_check(const golden_options& options) {
  try {
    const auto& dir = options.dir;
    std::vector<transformer::compute_type> types;
    if (options.compute_type) {
      const auto& name = *options.compute_type;
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

} // namespace

void add_golden_command(CLI::App& parley) {
  auto options = std::make_shared<golden_options>();
  auto* command = parley.add_subcommand(
      "golden", "check a checkpoint against DIR/expected.json and "
                "DIR/expected.safetensors in every compute type this CPU runs "
                "fast (or the one named); exit status 1 on FAIL");
  command
      ->add_option("DIR", options->dir,
                   "the checkpoint and its expected "
                   "outputs, in the fixture format")
      ->type_name("")
      ->required();
  command
      ->add_option("--compute-type", options->compute_type,
                   "float32, bfloat16, int8 or int8_bfloat16")
      ->type_name("TYPE");
  set_action(*command, [options] { return run_golden_check(*options); });
}

} // namespace parley
