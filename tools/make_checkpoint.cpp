// `parley make-checkpoint`: writes a random checkpoint with a real model's
// dimensions and tensor names, for benchmarks on machines that cannot
// download real weights. The shapes are those of every kind's
// make-checkpoint hook.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/checkpoint_kinds.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"

namespace parley {

namespace {

/// What `parley make-checkpoint` was asked.
struct make_checkpoint_options {
  std::string shape;
  std::string out;
  size_t seed = 0;
  std::string dtype = "f32";
  /// A sentencepiece model to copy in; empty: none.
  std::string spm;
};

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

int run_make_checkpoint(const make_checkpoint_options& options) {
  try {
    auto kinds = backend_registry::builtin();
    const auto& shape = options.shape;
    auto dtype = options.dtype == "f16" ? tensor_dtype::f16 : tensor_dtype::f32;
    auto start = std::chrono::steady_clock::now();
    auto written =
        write_random_checkpoint(kinds, shape, options.out, dtype, options.seed,
                                options.spm, tenths_reporter());
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    std::fprintf(
        stderr,
        "make-checkpoint: wrote %s: %s, %zu tensors, %lld parameters,"
        " %ju bytes, in %.1f s\n",
        written.weights.c_str(), shape.c_str(), written.tensors,
        static_cast<long long>(written.parameters),
        static_cast<uintmax_t>(std::filesystem::file_size(written.weights)),
        took.count());
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley make-checkpoint: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

void add_make_checkpoint_command(CLI::App& parley) {
  auto options = std::make_shared<make_checkpoint_options>();
  auto shapes = checkpoint_shapes(backend_registry::builtin());
  std::string shape_names;
  for (const auto& shape : shapes)
    shape_names += (shape_names.empty() ? "" : "|") + shape;
  auto* command = parley.add_subcommand(
      "make-checkpoint",
      "write a random checkpoint with the real model's dimensions and tensor "
      "names (config.json, model.safetensors), for benchmarks; SHAPE is one a "
      "model kind declares");
  command
      ->add_option("--shape", options->shape,
                   "the shape to write: " + shape_names)
      ->type_name("SHAPE")
      ->check(CLI::Validator(
          [shapes](const std::string& shape) {
            return std::find(shapes.begin(), shapes.end(), shape)
                           != shapes.end()
                       ? std::string{}
                       : "unknown shape '" + shape + "'";
          },
          ""))
      ->required();
  command->add_option("--out", options->out, "the directory to write")
      ->type_name("DIR")
      ->required();
  add_count(*command, "--seed", options->seed, "seed of the random weights");
  command->add_option("--dtype", options->dtype, "f32 or f16")
      ->type_name("DTYPE")
      ->check(CLI::IsMember({"f32", "f16"}).description(""))
      ->capture_default_str();
  command
      ->add_option("--spm", options->spm,
                   "a sentencepiece model to copy in as the tokenizer")
      ->type_name("FILE");
  set_action(*command, [options] { return run_make_checkpoint(*options); });
}

} // namespace parley
