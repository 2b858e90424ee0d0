#pragma once

#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/linear.hpp"
#include "models/transformer/layers.hpp"
#include "models/whisper/config.hpp"

namespace parley {
class checkpoint;
}

namespace parley::whisper {

using nllb::linear_layer;
using transformer::compute_type;
using transformer::decoder_layer_weights;
using transformer::encoder_layer_weights;
using transformer::layer_norm_weights;

/// The shapes of the encoder and decoder layers: Whisper's key projections
/// have no bias.
inline transformer::layer_spec encoder_spec(const model_config& c) {
  return {c.d_model, c.encoder_ffn, c.encoder_heads, /*key_bias=*/false};
}
inline transformer::layer_spec decoder_spec(const model_config& c) {
  return {c.d_model, c.decoder_ffn, c.decoder_heads, /*key_bias=*/false};
}

struct conv_weights {
  at::Tensor weight; // *.weight [out, in, 3]
  at::Tensor bias;   // *.bias [out]
};

/// Every weight of a Whisper model, read-only once loaded and shared by all
/// replicas that serve the same checkpoint.
struct model_weights {
  model_config config;
  conv_weights conv1; // model.encoder.conv1 (kernel 3, pad 1)
  conv_weights conv2; // model.encoder.conv2 (kernel 3, stride 2, pad 1)
  at::Tensor
      encoder_positions; // model.encoder.embed_positions.weight [audio ctx, d]
  std::vector<encoder_layer_weights> encoder;
  layer_norm_weights encoder_norm; // model.encoder.layer_norm
  at::Tensor embed_tokens; // model.decoder.embed_tokens.weight [vocab, d]
  at::Tensor
      decoder_positions; // model.decoder.embed_positions.weight [text ctx, d]
  std::vector<decoder_layer_weights> decoder;
  layer_norm_weights decoder_norm; // model.decoder.layer_norm
  linear_layer proj_out;           // tied to model.decoder.embed_tokens.weight
  compute_type type = compute_type::float32;
  /// Where every tensor above lives.
  c10::Device device{c10::kCPU};
  /// Keeps the memory-mapped files alive while tensors view them.
  std::shared_ptr<const checkpoint> source;

  transformer::placement where() const {
    return {type, device};
  }
};

struct load_options {
  /// How the Linear layers, the output projection included, hold and
  /// use their weights.
  compute_type type = compute_type::float32;
  /// Where the weights, caches and products live: the CPU or a CUDA
  /// device (which runs the compute types of cuda_compute_types()).
  c10::Device device{c10::kCPU};
};

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

} // namespace parley::whisper
