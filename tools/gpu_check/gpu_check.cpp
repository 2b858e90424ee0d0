// parley_gpu_check: the neural models on one device, from libtorch alone
// (models/neural_core.cmake): golden checks on the fixtures, random
// checkpoints of real shapes, and decoding timings. Ids in, ids out: no
// actors, tokenizer or sockets, so it builds on a bare GPU node. Driven by
// tools/gpu_check/run, which puts PyTorch eager beside it.
//
// usage:
//   parley_gpu_check devices
//   parley_gpu_check golden FIXTURES_DIR DEVICE TYPE[,TYPE...]
//   parley_gpu_check make-checkpoint nllb|whisper SHAPE OUT_DIR
//   parley_gpu_check bench nllb|whisper DIR DEVICE TYPE BATCH[,BATCH...]
//                    NEW_TOKENS
// Every result is one line of `key=value` fields; the exit status is 1
// when a golden check fails and 2 on a usage or run error.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "models/checkpoint/model_shapes.hpp"
#include "models/checkpoint/random_weights.hpp"
#include "models/nllb/benchmark.hpp"
#include "models/nllb/golden.hpp"
#include "models/transformer/placement.hpp"
#include "models/whisper/benchmark.hpp"
#include "models/whisper/golden.hpp"

namespace {

using namespace parley;

constexpr int usage_error = 2;

/// NLLB's timing encodes 32-token sources, as `parley bench model` does.
constexpr int64_t nllb_source_tokens = 32;

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> items;
  std::stringstream in{list};
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty())
      items.push_back(item);
  return items;
}

int devices() {
  std::cout << "cuda_devices=" << transformer::cuda_device_count() << '\n';
  return 0;
}

/// One line per compared tensor, then one per report.
bool print_report(const std::string& model, const std::string& device,
                  const golden_report& report) {
  for (const auto& check : report.checks) {
    std::cout << "golden model=" << model << " device=" << device
              << " type=" << report.compute_type << " tensor=" << check.tensor
              << " max_abs_diff=" << check.max_abs_diff
              << " tolerance=" << check.tolerance
              << " passed=" << (check.passed ? "yes" : "no");
    if (!check.detail.empty())
      std::cout << " detail=\"" << check.detail << '"';
    std::cout << '\n';
    for (const auto& tie : check.near_ties)
      std::cout << "near_tie model=" << model << " type=" << report.compute_type
                << " \"" << tie << "\"\n";
  }
  std::cout << "golden_result model=" << model << " device=" << device
            << " type=" << report.compute_type
            << " passed=" << (report.passed() ? "yes" : "no") << std::endl;
  return report.passed();
}

int golden(const std::string& fixtures, const std::string& device,
           const std::string& types) {
  bool all_passed = true;
  for (const auto& name : split(types)) {
    auto type = transformer::parse_compute_type(name);
    if (!type) {
      std::cerr << "parley_gpu_check: no compute type '" << name << "'\n";
      return usage_error;
    }
    c10::Device on{device};
    all_passed &=
        print_report("nllb-tiny", device,
                     nllb::run_golden_on(fixtures + "/nllb-tiny", *type, on));
    all_passed &= print_report(
        "whisper-tiny", device,
        whisper::run_golden_on(fixtures + "/whisper-tiny", *type, on));
  }
  return all_passed ? 0 : 1;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out{path};
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + path.string());
}

int make_checkpoint(const std::string& kind, const std::string& shape_name,
                    const std::string& out) {
  std::filesystem::create_directories(out);
  auto dtype = tensor_dtype::f16;
  auto dtype_name = torch_dtype_name(dtype);
  if (kind == "nllb") {
    auto shape = find_nllb_shape(shape_name);
    if (!shape)
      throw std::invalid_argument("no nllb shape '" + shape_name + "'");
    write_text(out + "/config.json", nllb_config_json(*shape, dtype_name));
    write_random_safetensors(out + "/model.safetensors",
                             nllb_tensor_specs(*shape, dtype), &nllb_init_rule,
                             /*seed=*/1);
  } else if (kind == "whisper") {
    auto shape = find_whisper_shape(shape_name);
    if (!shape)
      throw std::invalid_argument("no whisper shape '" + shape_name + "'");
    write_text(out + "/config.json", whisper_config_json(*shape, dtype_name));
    write_text(out + "/added_tokens.json", whisper_added_tokens_json(*shape));
    write_random_safetensors(out + "/model.safetensors",
                             whisper_tensor_specs(*shape, dtype),
                             &whisper_init_rule, /*seed=*/1);
  } else {
    throw std::invalid_argument("no kind '" + kind + "' (nllb or whisper)");
  }
  std::cout << "checkpoint kind=" << kind << " shape=" << shape_name
            << " dir=" << out << std::endl;
  return 0;
}

int bench(const std::string& kind, const std::string& dir,
          const std::string& device, const std::string& type,
          const std::string& batches, int64_t new_tokens) {
  for (const auto& batch_text : split(batches)) {
    auto batch = std::stoll(batch_text);
    auto timing =
        kind == "nllb"
            ? nllb::time_decoding(dir, type, batch, nllb_source_tokens,
                                  new_tokens, /*threads=*/0, /*seed=*/7, device)
            : whisper::time_decoding(dir, type, batch, new_tokens, device,
                                     /*seed=*/7);
    std::cout << "bench engine=parley kind=" << kind << " device=" << device
              << " type=" << type << " batch=" << batch
              << " new_tokens=" << new_tokens << " seconds=" << timing.seconds
              << " encode_seconds=" << timing.encode_seconds
              << " step_seconds=" << timing.step_seconds
              << " tokens_per_second=" << timing.tokens / timing.seconds
              << std::endl;
  }
  return 0;
}

int run(const std::vector<std::string>& args) {
  auto command = args.empty() ? std::string{} : args[0];
  if (command == "devices" && args.size() == 1)
    return devices();
  if (command == "golden" && args.size() == 4)
    return golden(args[1], args[2], args[3]);
  if (command == "make-checkpoint" && args.size() == 4)
    return make_checkpoint(args[1], args[2], args[3]);
  if (command == "bench" && args.size() == 7
      && (args[1] == "nllb" || args[1] == "whisper"))
    return bench(args[1], args[2], args[3], args[4], args[5],
                 std::stoll(args[6]));
  std::cerr << "usage: parley_gpu_check devices\n"
               "       parley_gpu_check golden FIXTURES_DIR DEVICE "
               "TYPE[,TYPE...]\n"
               "       parley_gpu_check make-checkpoint nllb|whisper SHAPE "
               "OUT_DIR\n"
               "       parley_gpu_check bench nllb|whisper DIR DEVICE TYPE "
               "BATCH[,BATCH...] NEW_TOKENS\n";
  return usage_error;
}

} // namespace

int main(int argc, char** argv) {
  try {
    return run({argv + 1, argv + argc});
  } catch (const std::exception& e) {
    std::cerr << "parley_gpu_check: " << e.what() << '\n';
    return usage_error;
  }
}
