#pragma once

// What the `parley` tools need from a kind whose models are checkpoints in
// the Hugging Face layout (a directory with config.json naming its
// `model_type`). A kind fills the hooks it supports; the tools find kinds by
// iterating the registry, never by name. Torch-free, so tools/ may include it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/checkpoint/random_weights.hpp"
#include "models/checkpoint/tensor.hpp"
#include "models/transformer/compute_type.hpp"

namespace parley {

struct golden_report;

/// A random checkpoint of a real model's dimensions, as `parley
/// make-checkpoint` writes it: text files beside model.safetensors, and the
/// tensors of model.safetensors with how to fill each.
struct random_checkpoint {
  /// File name and content (config.json and the tokenizer's files).
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<tensor_spec> tensors;
  init_rule (*rule)(const tensor_spec&) = nullptr;
};

/// What `parley bench model` asks one decoding run to do.
struct decode_settings {
  std::string dir;
  /// A compute type's name ("float32", "int8", ...; not "auto").
  std::string compute_type = "float32";
  int64_t batch = 1;
  int64_t source_tokens = 32;
  int64_t new_tokens = 32;
  int threads = 2;
  uint64_t seed = 0;
};

/// What one decoding run measured.
struct decode_timing {
  int64_t batch = 0;
  /// Target tokens generated, over every row.
  int64_t tokens = 0;
  /// Whole generate() call: encoder plus every decoding step.
  double seconds = 0;
  /// Encoder plus the cross-attention keys and values, once per batch.
  double encode_seconds = 0;
  /// Median time of one decoding step.
  double step_seconds = 0;
  /// Bytes of weights one decoding step reads.
  int64_t step_weight_bytes = 0;
};

/// The tools' hooks of one kind; null hooks are tools the kind lacks.
struct checkpoint_hooks {
  /// The `model_type` values of config.json this kind loads ("m2m_100").
  std::vector<std::string> model_types;
  /// `parley golden DIR`: runs the checkpoint in a compute type on its
  /// recorded inputs and compares with its recorded outputs
  /// (fixtures/README.md, and `golden_tolerance` beyond float32).
  golden_report (*golden)(const std::string& dir,
                          transformer::compute_type type) = nullptr;
  /// `parley make-checkpoint --shape NAME`: the shape names it writes.
  std::vector<std::string> (*shapes)() = nullptr;
  /// The checkpoint of shape `name` (one of `shapes()`), weights in `dtype`.
  random_checkpoint (*make_random)(const std::string& name,
                                   tensor_dtype dtype) = nullptr;
  /// Where `make-checkpoint --spm FILE` copies its tokenizer model ("": the
  /// kind takes none).
  std::string tokenizer_file;
  /// `parley bench model`: one timed decoding run, after a warm-up.
  decode_timing (*time_decoding)(const decode_settings& settings) = nullptr;
  /// `parley bench model`'s reference: a script in ../shared/reference/
  /// run by tools/bench_reference.py ("": no reference).
  std::string reference_script;

  /// True when the kind loads checkpoints whose config.json says `type`.
  bool loads(const std::string& type) const;
};

} // namespace parley
