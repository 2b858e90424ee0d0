// `parley bench model`: decoding speed, side by side in one run: Parley in
// every compute type this CPU runs fast, ONNX Runtime on an export of the
// same checkpoint (tools/ort_peer, with --onnx), and the plain-PyTorch
// reference on the same weights, plus how close batch-1 decoding comes to
// the machine's copy bandwidth. The kind that loads the checkpoint's
// model_type times it and names its reference.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "models/nllb/benchmark.hpp"
#include "tools/bench_compute.hpp"
#include "tools/checkpoint_kinds.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/subprocess.hpp"

namespace parley {

namespace {

/// What `parley bench model` was asked.
struct bench_model_options {
  std::string checkpoint;
  /// Comma-separated batch sizes.
  std::string batches = "1,16";
  size_t source_tokens = 32;
  size_t new_tokens = 32;
  size_t threads = 2;
  bool no_reference = false;
  /// The reference implementation's script; unset: the kind's own.
  std::optional<std::string> reference;
  /// The source tree (tools/ and ../shared/reference/).
  std::string source_dir = PARLEY_SOURCE_DIR;
  /// ONNX graphs of tools/ort_peer/export_m2m100.py; unset: no ORT row.
  std::optional<std::string> onnx;
  /// Comma-separated; unset: every type this CPU runs fast.
  std::optional<std::string> compute_types;
};

struct row {
  std::string config;
  decode_timing timing;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in{text};
  for (std::string item; std::getline(in, item, ',');)
    items.push_back(item);
  return items;
}

std::vector<int64_t> parse_batches(const std::string& text) {
  std::vector<int64_t> batches;
  for (const auto& item : split_list(text))
    batches.push_back(std::stoll(item));
  return batches;
}

/// Runs a peer that prints one JSON timing per line; returns its timings by
/// batch size.
std::map<int64_t, decode_timing>
run_peer(const std::string& name, const std::vector<std::string>& command) {
  auto result = run_command(command);
  if (result.exit_status != 0)
    throw std::runtime_error(name + " failed:\n" + result.err);
  std::map<int64_t, decode_timing> timings;
  std::stringstream lines{result.out};
  for (std::string line; std::getline(lines, line);) {
    auto parsed = nlohmann::json::parse(line);
    decode_timing timing;
    timing.batch = parsed["batch"];
    timing.tokens = parsed["tokens"];
    timing.seconds = parsed["seconds"];
    timing.step_seconds = parsed["step_seconds"];
    timing.encode_seconds = parsed["encode_seconds"];
    if (parsed.contains("max_logit_diff") && timings.empty())
      std::printf("%s: logits within %.2g of the reference's, version %s\n",
                  name.c_str(), parsed["max_logit_diff"].get<double>(),
                  parsed.value("version", "?").c_str());
    timings[timing.batch] = timing;
  }
  return timings;
}

double tokens_per_second(const decode_timing& t) {
  return t.tokens / t.seconds;
}

/// How much faster `timing` decoded than `peer` at the same batch size
/// ("1.23x"); "-" when `peer` has no such batch size.
std::string ratio(const decode_timing& timing,
                  const std::map<int64_t, decode_timing>& peer) {
  auto other = peer.find(timing.batch);
  if (other == peer.end())
    return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx",
                tokens_per_second(timing) / tokens_per_second(other->second));
  return text;
}

int run_bench_model(const bench_model_options& options) {
  try {
    const auto& dir = options.checkpoint;
    const auto& batch_list = options.batches;
    auto batches = parse_batches(batch_list);
    auto source_tokens = static_cast<int64_t>(options.source_tokens);
    auto new_tokens = static_cast<int64_t>(options.new_tokens);
    auto threads = static_cast<int>(options.threads);
    auto kinds = backend_registry::builtin();
    const auto& hooks =
        checkpoint_kind(kinds, dir, model_task::translation).checkpoint;
    if (hooks.time_decoding == nullptr)
      throw std::invalid_argument(dir + ": its kind has no bench model hook");
    const auto& root = options.source_dir;
    auto reference_script = options.reference.value_or(
        hooks.reference_script.empty()
            ? std::string{}
            : root + "/../shared/reference/" + hooks.reference_script);
    const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
    std::printf("parley bench model: %s, %lld source tokens, %lld new tokens, "
                "%d threads, greedy, OMP_WAIT_POLICY=%s for Parley and its "
                "peers\n",
                dir.c_str(), static_cast<long long>(source_tokens),
                static_cast<long long>(new_tokens), threads,
                wait_policy != nullptr ? wait_policy : "(default)");
    print_compute_header();
    auto types = fast_compute_types();
    if (options.compute_types)
      types = split_list(*options.compute_types);
    std::vector<row> rows;
    for (const auto& type : types)
      for (auto batch : batches)
        rows.push_back(
            {"parley " + type,
             hooks.time_decoding({dir, type, batch, source_tokens, new_tokens,
                                  threads, /*seed=*/0})});
    auto counts = {batch_list, std::to_string(source_tokens),
                   std::to_string(new_tokens), std::to_string(threads)};
    std::map<int64_t, decode_timing> ort;
    if (options.onnx) {
      std::vector<std::string> command{"/usr/bin/env", "node",
                                       root + "/tools/ort_peer/bench_ort.js",
                                       *options.onnx};
      command.insert(command.end(), counts.begin(), counts.end());
      ort = run_peer("onnxruntime", command);
      for (const auto& [batch, timing] : ort)
        rows.push_back({"onnxruntime float32", timing});
    }
    std::map<int64_t, decode_timing> reference;
    if (!options.no_reference && !reference_script.empty()) {
      std::vector<std::string> command{"/usr/bin/python3",
                                       root + "/tools/bench_reference.py",
                                       reference_script, dir};
      command.insert(command.end(), counts.begin(), counts.end());
      reference = run_peer("the Python reference", command);
      for (const auto& [batch, timing] : reference)
        rows.push_back({"pytorch reference", timing});
    }
    auto bandwidth = nllb::measure_copy_bandwidth();
    std::printf("%-22s %6s %11s %10s %9s %13s %9s %9s %11s\n", "config",
                "batch", "tokens/s", "encode ms", "step ms", "weights GB/s",
                "vs ORT", "vs ref", "% of copy");
    for (const auto& r : rows) {
      auto weight_rate =
          r.timing.step_weight_bytes > 0
              ? r.timing.step_weight_bytes / r.timing.step_seconds / 1e9
              : 0.0;
      // The weight read rate of a step against the copy bandwidth: how near
      // a step comes to the floor set by reading its weights once ("-" for
      // peers, whose weight bytes are not known).
      char of_copy[16] = "-";
      if (weight_rate > 0)
        std::snprintf(of_copy, sizeof of_copy, "%.0f%%",
                      100.0 * weight_rate * 1e9 / bandwidth);
      std::printf("%-22s %6lld %11.1f %10.1f %9.1f %13.2f %9s %9s %11s\n",
                  r.config.c_str(), static_cast<long long>(r.timing.batch),
                  tokens_per_second(r.timing), r.timing.encode_seconds * 1e3,
                  r.timing.step_seconds * 1e3, weight_rate,
                  ratio(r.timing, ort).c_str(),
                  ratio(r.timing, reference).c_str(), of_copy);
    }
    std::printf("memory copy bandwidth: %.2f GB/s\n", bandwidth / 1e9);
    for (const auto& r : rows)
      if (r.config == "parley float32" && r.timing.batch == 1)
        std::printf("batch-1 float32 reads weights at %.0f%% of it\n",
                    100.0 * r.timing.step_weight_bytes / r.timing.step_seconds
                        / bandwidth);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_bench_model_command(CLI::App& bench) {
  auto options = std::make_shared<bench_model_options>();
  auto* command = bench.add_subcommand(
      "model", "NLLB decoding speed: Parley in every compute type this CPU "
               "runs fast beside ONNX Runtime (--onnx: graphs from "
               "tools/ort_peer/export_m2m100.py) and the PyTorch reference, "
               "and the weight read rate against copy bandwidth");
  command
      ->add_option("--checkpoint", options->checkpoint,
                   "the checkpoint to time (make one with parley "
                   "make-checkpoint --shape nllb-600m)")
      ->type_name("DIR")
      ->required();
  command
      ->add_option("--batches", options->batches,
                   "batch sizes, comma-separated")
      ->type_name("N,N...")
      ->capture_default_str();
  add_count(*command, "--source-tokens", options->source_tokens,
            "tokens of each source sentence");
  add_count(*command, "--new-tokens", options->new_tokens,
            "tokens decoded per sentence");
  add_count(*command, "--threads", options->threads,
            "threads of Parley and of its peers");
  command->add_flag("--no-reference", options->no_reference,
                    "skip the PyTorch reference");
  command
      ->add_option("--reference", options->reference,
                   "the reference implementation's script (default: the one "
                   "the checkpoint's kind names, in ../shared/reference/)")
      ->type_name("FILE");
  command
      ->add_option("--source-dir", options->source_dir,
                   "Parley's source tree, where the peers' scripts are")
      ->type_name("DIR")
      ->capture_default_str();
  command
      ->add_option("--onnx", options->onnx,
                   "also time ONNX Runtime on the graphs in DIR")
      ->type_name("DIR");
  command
      ->add_option("--compute-types", options->compute_types,
                   "the compute types to time, comma-separated (default: every "
                   "one this CPU runs fast)")
      ->type_name("TYPE,TYPE...");
  set_action(*command, [options] { return run_bench_model(*options); });
}

} // namespace parley
