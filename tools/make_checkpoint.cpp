// `parley make-checkpoint`: writes a random checkpoint with a real model's
// dimensions and tensor names, for benchmarks on machines that cannot
// download real weights. The shapes are those of every kind's
// make-checkpoint hook.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "tools/arguments.hpp"
#include "tools/checkpoint_kinds.hpp"
#include "tools/commands.hpp"

namespace parley {

namespace {

std::string usage(const backend_registry& kinds) {
  std::string shapes;
  for (const auto& shape : checkpoint_shapes(kinds))
    shapes += (shapes.empty() ? "" : "|") + shape;
  return "usage: parley make-checkpoint --shape " + shapes
         + " --out DIR [--seed N] [--dtype f32|f16] [--spm FILE]\n";
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
    auto kinds = backend_registry::builtin();
    arguments args{argc, argv, 2};
    args.expect_only({"shape", "out", "seed", "dtype", "spm"});
    auto shape = args.get("shape", "");
    auto shapes = checkpoint_shapes(kinds);
    bool known = std::find(shapes.begin(), shapes.end(), shape) != shapes.end();
    auto out = args.get("out", "");
    auto dtype_name = args.get("dtype", "f32");
    if (!known || out.empty() || !args.positionals().empty()
        || (dtype_name != "f32" && dtype_name != "f16")) {
      if (!known && args.has("shape"))
        std::cerr << "parley make-checkpoint: unknown shape '" << shape
                  << "'\n";
      std::cerr << usage(kinds);
      return 2;
    }
    auto dtype = dtype_name == "f16" ? tensor_dtype::f16 : tensor_dtype::f32;
    auto start = std::chrono::steady_clock::now();
    auto written = write_random_checkpoint(
      kinds, shape, out, dtype, args.get_size("seed", 0), args.get("spm", ""),
      tenths_reporter());
    std::chrono::duration<double> took
      = std::chrono::steady_clock::now() - start;
    std::fprintf(stderr,
                 "make-checkpoint: wrote %s: %s, %zu tensors, %lld parameters,"
                 " %ju bytes, in %.1f s\n",
                 written.weights.c_str(), shape.c_str(), written.tensors,
                 static_cast<long long>(written.parameters),
                 static_cast<uintmax_t>(
                   std::filesystem::file_size(written.weights)),
                 took.count());
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley make-checkpoint: " << e.what() << "\n";
    return 1;
  }
}

} // namespace parley
