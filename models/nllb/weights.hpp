#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/config.hpp"
#include "models/nllb/vocabulary_head.hpp"
#include "models/transformer/layers.hpp"

namespace parley {
class checkpoint;
}

namespace parley::nllb {

using transformer::decoder_layer_weights;
using transformer::encoder_layer_weights;
using transformer::layer_norm_weights;

/// The shapes of the encoder and decoder layers.
inline transformer::layer_spec encoder_spec(const model_config& c) {
  return {c.d_model, c.encoder_ffn, c.encoder_heads, /*key_bias=*/true};
}
inline transformer::layer_spec decoder_spec(const model_config& c) {
  return {c.d_model, c.decoder_ffn, c.decoder_heads, /*key_bias=*/true};
}

/// Every weight of an M2M100/NLLB model, read-only once loaded and shared by
/// all replicas that serve the same checkpoint.
struct model_weights {
  model_config config;
  at::Tensor shared; // model.shared.weight [vocab, d]
  std::vector<encoder_layer_weights> encoder;
  layer_norm_weights encoder_norm; // model.encoder.layer_norm
  std::vector<decoder_layer_weights> decoder;
  layer_norm_weights decoder_norm; // model.decoder.layer_norm
  vocabulary_head lm_head;         // tied to model.shared.weight
  at::Tensor positions;            // fairseq sinusoidal table
  compute_type type = compute_type::float32;
  /// Where every tensor above lives.
  c10::Device device{c10::kCPU};
  /// Keeps the memory-mapped files alive while tensors view them.
  std::shared_ptr<const checkpoint> source;

  transformer::placement where() const {
    return {type, device};
  }
};

/// How to load a checkpoint.
struct load_options {
  /// How the Linear layers, the LM head included, hold and use
  /// their weights.
  compute_type type = compute_type::float32;
  /// Where the weights, caches and products live: the CPU or a CUDA
  /// device (which runs the compute types of cuda_compute_types()).
  c10::Device device{c10::kCPU};
};

/// Reports loading progress: a fraction in [0, 1] and what is being done.
using load_progress = std::function<void(double, const std::string&)>;

/// Loads the checkpoint in `dir` (config.json plus model.safetensors or a
/// sharded index). F32 tensors are used in place from the mapped file; F16
/// and BF16 are converted to F32. Throws std::runtime_error naming a missing
/// tensor, a wrong shape or an unsupported model type.
std::shared_ptr<const model_weights>
load_weights(const std::string& dir, const load_options& options,
             const load_progress& progress = {});

/// As `load_weights`, but a checkpoint already loaded in this process with
/// the same options is shared rather than loaded again.
std::shared_ptr<const model_weights>
shared_weights(const std::string& dir, const load_options& options,
               const load_progress& progress = {});

/// The fairseq sinusoidal position table: `rows` positions of width `dim`,
/// with the padding row zero.
at::Tensor sinusoidal_positions(int64_t rows, int64_t dim, int64_t pad_id);

} // namespace parley::nllb
