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
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/nllb/benchmark.hpp"
#include "tools/arguments.hpp"
#include "tools/checkpoint_kinds.hpp"
#include "tools/bench_compute.hpp"
#include "tools/commands.hpp"
#include "tools/subprocess.hpp"

namespace parley {

namespace {

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

} // namespace

int run_bench_model(int argc, char** argv) {
  try {
    arguments args{argc, argv, 3, {"no-reference"}};
    args.expect_only({"checkpoint", "batches", "source-tokens", "new-tokens",
                      "threads", "no-reference", "reference", "source-dir",
                      "onnx", "compute-types"});
    auto dir = args.get("checkpoint", "");
    if (dir.empty())
      throw std::invalid_argument("--checkpoint DIR is required (make one with "
                                  "parley make-checkpoint --shape nllb-600m)");
    auto batch_list = args.get("batches", "1,16");
    auto batches = parse_batches(batch_list);
    auto source_tokens = static_cast<int64_t>(args.get_size("source-tokens", 32));
    auto new_tokens = static_cast<int64_t>(args.get_size("new-tokens", 32));
    auto threads = static_cast<int>(args.get_size("threads", 2));
    auto kinds = backend_registry::builtin();
    const auto& hooks
      = checkpoint_kind(kinds, dir, model_task::translation).checkpoint;
    if (hooks.time_decoding == nullptr)
      throw std::invalid_argument(dir + ": its kind has no bench model hook");
    auto root = args.get("source-dir", PARLEY_SOURCE_DIR);
    auto reference_script = args.get(
      "reference", hooks.reference_script.empty()
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
    if (args.has("compute-types"))
      types = split_list(args.get("compute-types", ""));
    std::vector<row> rows;
    for (const auto& type : types)
      for (auto batch : batches)
        rows.push_back({"parley " + type,
                        hooks.time_decoding({dir, type, batch, source_tokens,
                                             new_tokens, threads, /*seed=*/0})});
    auto counts = {batch_list, std::to_string(source_tokens),
                   std::to_string(new_tokens), std::to_string(threads)};
    std::map<int64_t, decode_timing> ort;
    if (args.has("onnx")) {
      std::vector<std::string> command{
        "/usr/bin/env", "node", root + "/tools/ort_peer/bench_ort.js",
        args.get("onnx", "")};
      command.insert(command.end(), counts.begin(), counts.end());
      ort = run_peer("onnxruntime", command);
      for (const auto& [batch, timing] : ort)
        rows.push_back({"onnxruntime float32", timing});
    }
    std::map<int64_t, decode_timing> reference;
    if (!args.has("no-reference") && !reference_script.empty()) {
      std::vector<std::string> command{
        "/usr/bin/python3", root + "/tools/bench_reference.py",
        reference_script, dir};
      command.insert(command.end(), counts.begin(), counts.end());
      reference = run_peer("the Python reference", command);
      for (const auto& [batch, timing] : reference)
        rows.push_back({"pytorch reference", timing});
    }
    auto bandwidth = nllb::measure_copy_bandwidth();
    std::printf("%-22s %6s %11s %10s %9s %13s %9s %9s\n", "config", "batch",
                "tokens/s", "encode ms", "step ms", "weights GB/s", "vs ORT",
                "vs ref");
    for (const auto& r : rows) {
      auto weight_rate
        = r.timing.step_weight_bytes > 0
            ? r.timing.step_weight_bytes / r.timing.step_seconds / 1e9
            : 0.0;
      std::printf("%-22s %6lld %11.1f %10.1f %9.1f %13.2f %9s %9s\n",
                  r.config.c_str(), static_cast<long long>(r.timing.batch),
                  tokens_per_second(r.timing), r.timing.encode_seconds * 1e3,
                  r.timing.step_seconds * 1e3, weight_rate,
                  ratio(r.timing, ort).c_str(),
                  ratio(r.timing, reference).c_str());
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

} // namespace parley
