#pragma once

// How the `parley` tools that take a checkpoint find its model kind: by the
// declarations of a registry, never by kind name, so a new kind's hooks are
// reached without touching the tools.

#include <cstdint>
#include <string>
#include <vector>

#include "models/registry.hpp"
#include "server/runtime_config.hpp"

namespace parley {

/// The kind of `task` that loads the checkpoint in `dir`, by the model_type
/// of its config.json. Throws std::runtime_error naming the model_type when
/// no kind of `kinds` loads it.
const model_kind& checkpoint_kind(const backend_registry& kinds,
                                  const std::string& dir, model_task task);

/// A translation model serving the checkpoint in `dir` with its kind
/// (`parley translate --model DIR`), named after the directory.
model_config checkpoint_model(const backend_registry& kinds,
                              const std::string& dir);

/// Every shape `parley make-checkpoint` can write, over every kind.
std::vector<std::string> checkpoint_shapes(const backend_registry& kinds);

/// What `write_random_checkpoint` wrote.
struct written_checkpoint {
  std::string weights;
  size_t tensors = 0;
  int64_t parameters = 0;
};

/// Writes a random checkpoint of `shape` into `dir` (created if missing)
/// with the hooks of the kind that knows the shape: its text files, its
/// tokenizer model copied from `tokenizer` when not empty, and
/// model.safetensors. Throws std::invalid_argument for an unknown shape, or
/// a tokenizer for a kind that takes none.
written_checkpoint
write_random_checkpoint(const backend_registry& kinds, const std::string& shape,
                        const std::string& dir, tensor_dtype dtype,
                        uint64_t seed, const std::string& tokenizer = {},
                        const progress_callback& on_progress = {});

} // namespace parley
