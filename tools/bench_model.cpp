// `parley bench model`: NLLB decoding speed, side by side in one run: Parley
// in every compute type this CPU runs fast, and the plain-PyTorch reference
// on the same weights, plus how close batch-1 decoding comes to the
// machine's copy bandwidth.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/nllb/benchmark.hpp"
#include "tools/arguments.hpp"
#include "tools/bench_compute.hpp"
#include "tools/commands.hpp"
#include "tools/subprocess.hpp"

namespace parley {

namespace {

struct row {
  std::string config;
  nllb::decode_timing timing;
};

std::vector<int64_t> parse_batches(const std::string& text) {
  std::vector<int64_t> batches;
  std::stringstream in{text};
  for (std::string item; std::getline(in, item, ',');)
    batches.push_back(std::stoll(item));
  return batches;
}

/// Runs tools/bench_reference.py; returns its timings by batch size.
std::map<int64_t, nllb::decode_timing>
run_reference(const arguments& args, const std::string& dir,
              const std::string& batches, int64_t source_tokens,
              int64_t new_tokens, int threads) {
  auto root = args.get("source-dir", PARLEY_SOURCE_DIR);
  auto result = run_command(
    {"/usr/bin/python3", root + "/tools/bench_reference.py",
     args.get("reference", root + "/../shared/reference/m2m100_reference.py"),
     dir, batches, std::to_string(source_tokens), std::to_string(new_tokens),
     std::to_string(threads)});
  if (result.exit_status != 0)
    throw std::runtime_error("the Python reference failed:\n" + result.err);
  std::map<int64_t, nllb::decode_timing> timings;
  std::stringstream lines{result.out};
  for (std::string line; std::getline(lines, line);) {
    auto parsed = nlohmann::json::parse(line);
    nllb::decode_timing timing;
    timing.batch = parsed["batch"];
    timing.tokens = parsed["tokens"];
    timing.seconds = parsed["seconds"];
    timing.step_seconds = parsed["step_seconds"];
    timing.encode_seconds = parsed["encode_seconds"];
    timings[timing.batch] = timing;
  }
  return timings;
}

double tokens_per_second(const nllb::decode_timing& t) {
  return t.tokens / t.seconds;
}

} // namespace

int run_bench_model(int argc, char** argv) {
  try {
    arguments args{argc, argv, 3, {"no-reference"}};
    args.expect_only({"checkpoint", "batches", "source-tokens", "new-tokens",
                      "threads", "no-reference", "reference", "source-dir"});
    auto dir = args.get("checkpoint", "");
    if (dir.empty())
      throw std::invalid_argument("--checkpoint DIR is required (make one with "
                                  "parley make-checkpoint --shape nllb-600m)");
    auto batch_list = args.get("batches", "1,16");
    auto batches = parse_batches(batch_list);
    auto source_tokens = static_cast<int64_t>(args.get_size("source-tokens", 32));
    auto new_tokens = static_cast<int64_t>(args.get_size("new-tokens", 32));
    auto threads = static_cast<int>(args.get_size("threads", 2));
    const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
    std::printf("parley bench model: %s, %lld source tokens, %lld new tokens, "
                "%d threads, greedy, OMP_WAIT_POLICY=%s for both Parley and "
                "the reference\n",
                dir.c_str(), static_cast<long long>(source_tokens),
                static_cast<long long>(new_tokens), threads,
                wait_policy != nullptr ? wait_policy : "(default)");
    print_compute_header();
    std::vector<row> rows;
    for (const auto& type : fast_compute_types())
      for (auto batch : batches)
        rows.push_back({"parley " + type,
                        nllb::time_decoding(dir, type, batch, source_tokens,
                                            new_tokens, threads, 0)});
    std::map<int64_t, nllb::decode_timing> reference;
    if (!args.has("no-reference")) {
      reference = run_reference(args, dir, batch_list, source_tokens,
                                new_tokens, threads);
      for (const auto& [batch, timing] : reference)
        rows.push_back({"pytorch reference", timing});
    }
    auto bandwidth = nllb::measure_copy_bandwidth();
    std::printf("%-22s %6s %11s %10s %9s %13s %13s\n", "config", "batch",
                "tokens/s", "encode ms", "step ms", "weights GB/s",
                "vs reference");
    for (const auto& r : rows) {
      auto ref = reference.find(r.timing.batch);
      auto ratio = ref == reference.end()
                     ? std::string{"-"}
                     : std::to_string(tokens_per_second(r.timing)
                                      / tokens_per_second(ref->second));
      auto weight_rate
        = r.timing.step_weight_bytes > 0
            ? r.timing.step_weight_bytes / r.timing.step_seconds / 1e9
            : 0.0;
      std::printf("%-22s %6lld %11.1f %10.1f %9.1f %13.2f %13s\n",
                  r.config.c_str(), static_cast<long long>(r.timing.batch),
                  tokens_per_second(r.timing), r.timing.encode_seconds * 1e3,
                  r.timing.step_seconds * 1e3,
                  weight_rate, ratio.substr(0, 5).c_str());
    }
    std::printf("memory copy bandwidth: %.2f GB/s\n", bandwidth / 1e9);
    for (const auto& r : rows)
      if (r.config == "parley float32" && r.timing.batch == 1)
        std::printf("batch-1 fp32 reads weights at %.0f%% of it\n",
                    100.0 * r.timing.step_weight_bytes / r.timing.step_seconds
                      / bandwidth);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace parley
