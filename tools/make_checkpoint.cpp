// `parley make-checkpoint`: writes a random checkpoint with a real model's
// dimensions and tensor names, for benchmarks on machines that cannot
// download real weights.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "models/checkpoint/model_shapes.hpp"
#include "tools/arguments.hpp"
#include "tools/commands.hpp"

namespace parley {

namespace {

namespace fs = std::filesystem;

constexpr const char* usage =
    "usage: parley make-checkpoint"
    " --shape nllb-600m|nllb-1.3b|tiny|whisper-tiny|whisper-base --out DIR"
    " [--seed N] [--dtype f32|f16] [--spm FILE]\n";

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush())
    throw std::runtime_error(path.string() + ": cannot write");
}

// One stderr line each time another tenth of the data is written.
progress_callback tenths_reporter() {
  return [next = 1](size_t done, size_t total) mutable {
    while (next <= 10 && done * 10 >= total * static_cast<size_t>(next)) {
      std::fprintf(stderr, "make-checkpoint: %3d%% (%.0f of %.0f MB)\n",
                   next * 10, done / 1e6, total / 1e6);
      ++next;
    }
  };
}

} // namespace

int run_make_checkpoint(int argc, char** argv) {
  try {
    arguments args{argc, argv, 2};
    args.expect_only({"shape", "out", "seed", "dtype", "spm"});
    auto shape = find_nllb_shape(args.get("shape", ""));
    auto whisper = find_whisper_shape(args.get("shape", ""));
    auto out = args.get("out", "");
    auto dtype_name = args.get("dtype", "f32");
    if ((!shape && !whisper) || out.empty() || !args.positionals().empty()
        || (dtype_name != "f32" && dtype_name != "f16")) {
      if (!shape && !whisper && args.has("shape"))
        std::cerr << "parley make-checkpoint: unknown shape '"
                  << args.get("shape", "") << "'\n";
      std::cerr << usage;
      return 2;
    }
    auto dtype = dtype_name == "f16" ? tensor_dtype::f16 : tensor_dtype::f32;
    auto seed = args.get_size("seed", 0);

    auto start = std::chrono::steady_clock::now();
    fs::path dir{out};
    fs::create_directories(dir);
    auto torch_dtype = dtype_name == "f16" ? "float16" : "float32";
    std::vector<tensor_spec> specs;
    init_rule (*rule)(const tensor_spec&) = nullptr;
    if (whisper) {
      write_text(dir / "config.json", whisper_config_json(*whisper, torch_dtype));
      write_text(dir / "vocab.json", whisper_vocab_json(*whisper));
      write_text(dir / "added_tokens.json", whisper_added_tokens_json(*whisper));
      specs = whisper_tensor_specs(*whisper, dtype);
      rule = whisper_init_rule;
    } else {
      write_text(dir / "config.json", nllb_config_json(*shape, torch_dtype));
      write_text(dir / "special_tokens_map.json",
                 nllb_special_tokens_map_json(*shape));
      if (args.has("spm"))
        fs::copy_file(args.get("spm", ""), dir / "sentencepiece.bpe.model",
                      fs::copy_options::overwrite_existing);
      specs = nllb_tensor_specs(*shape, dtype);
      rule = nllb_init_rule;
    }

    auto weights = dir / "model.safetensors";
    write_random_safetensors(weights.string(), specs, rule, seed,
                             tenths_reporter(), {{"format", "pt"}});

    int64_t parameters = 0;
    for (const auto& spec : specs)
      parameters += shape_numel(spec.shape);
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    std::fprintf(stderr,
                 "make-checkpoint: wrote %s: %s, %zu tensors, %lld parameters,"
                 " %ju bytes, in %.1f s\n",
                 weights.c_str(),
                 whisper ? whisper->name.c_str() : shape->name.c_str(),
                 specs.size(),
                 static_cast<long long>(parameters),
                 static_cast<uintmax_t>(fs::file_size(weights)), took.count());
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley make-checkpoint: " << e.what() << "\n";
    return 1;
  }
}

} // namespace parley
