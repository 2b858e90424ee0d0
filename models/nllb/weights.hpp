#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/config.hpp"
#include "models/nllb/linear.hpp"

namespace parley {
class checkpoint;
}

namespace parley::nllb {

struct layer_norm_weights {
  at::Tensor weight; // *.weight
  at::Tensor bias;   // *.bias
};

struct attention_weights {
  linear_layer q_proj;   // *.q_proj
  linear_layer k_proj;   // *.k_proj
  linear_layer v_proj;   // *.v_proj
  linear_layer out_proj; // *.out_proj
};

struct encoder_layer_weights {
  attention_weights self_attn;        // model.encoder.layers.N.self_attn
  layer_norm_weights self_attn_norm;  // model.encoder.layers.N.self_attn_layer_norm
  linear_layer fc1;                   // model.encoder.layers.N.fc1
  linear_layer fc2;                   // model.encoder.layers.N.fc2
  layer_norm_weights final_norm;      // model.encoder.layers.N.final_layer_norm
};

struct decoder_layer_weights {
  attention_weights self_attn;        // model.decoder.layers.N.self_attn
  layer_norm_weights self_attn_norm;  // model.decoder.layers.N.self_attn_layer_norm
  attention_weights cross_attn;       // model.decoder.layers.N.encoder_attn
  layer_norm_weights cross_attn_norm; // model.decoder.layers.N.encoder_attn_layer_norm
  linear_layer fc1;                   // model.decoder.layers.N.fc1
  linear_layer fc2;                   // model.decoder.layers.N.fc2
  layer_norm_weights final_norm;      // model.decoder.layers.N.final_layer_norm
};

/// Every weight of an M2M100/NLLB model, read-only once loaded and shared by
/// all replicas that serve the same checkpoint.
struct model_weights {
  model_config config;
  at::Tensor shared;                          // model.shared.weight [vocab, d]
  std::vector<encoder_layer_weights> encoder;
  layer_norm_weights encoder_norm;            // model.encoder.layer_norm
  std::vector<decoder_layer_weights> decoder;
  layer_norm_weights decoder_norm;            // model.decoder.layer_norm
  linear_layer lm_head;                       // tied to model.shared.weight
  at::Tensor positions;                       // fairseq sinusoidal table
  bool int8 = false;
  /// Keeps the memory-mapped files alive while tensors view them.
  std::shared_ptr<const checkpoint> source;
};

/// How to load a checkpoint.
struct load_options {
  /// Dynamic int8 quantization of every Linear layer and the LM head.
  bool int8 = false;
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
