#pragma once

// The dimensions and tensor names of the NLLB-200 / M2M100 models in the
// Hugging Face layout, for writing random checkpoints of their real size.

#include <optional>
#include <string>
#include <vector>

#include "models/checkpoint/random_weights.hpp"
#include "models/checkpoint/tensor.hpp"

namespace parley {

/// Hyperparameters of an M2M100ForConditionalGeneration model.
struct nllb_shape {
  std::string name;
  int64_t d_model = 0;
  int64_t encoder_layers = 0;
  int64_t decoder_layers = 0;
  int64_t encoder_attention_heads = 0;
  int64_t decoder_attention_heads = 0;
  int64_t encoder_ffn_dim = 0;
  int64_t decoder_ffn_dim = 0;
  int64_t vocab_size = 0;
  int64_t max_position_embeddings = 0;
};

/// The known shapes: "nllb-600m", "nllb-1.3b" and "tiny" (the fixture's).
const std::vector<nllb_shape>& nllb_shapes();

/// The shape called `name`, or nullopt.
std::optional<nllb_shape> find_nllb_shape(const std::string& name);

/// Every stored tensor of `shape`, in module order: model.shared.weight,
/// the encoder layers and final layer norm, then the decoder's. The LM head
/// is tied to model.shared.weight and not stored.
std::vector<tensor_spec>
nllb_tensor_specs(const nllb_shape& shape,
                  tensor_dtype dtype = tensor_dtype::f32);

/// How random checkpoints fill tensor `spec` of an NLLB model so that
/// activations stay finite through 24 layers: Linear weights with stddev
/// 1/sqrt(in), biases 0.01, LayerNorm weights near 1 and biases near 0, the
/// embedding 0.05 with its padding row (1) all zeros.
init_rule nllb_init_rule(const tensor_spec& spec);

/// config.json for `shape`: the Hugging Face M2M100Config fields, with
/// torch_dtype `torch_dtype` ("float32" or "float16").
std::string nllb_config_json(const nllb_shape& shape,
                             const std::string& torch_dtype);

/// The language codes of `shape`'s vocabulary, in token-id order: the 202
/// NLLB codes, or the fixture's four for "tiny".
std::vector<std::string> nllb_shape_languages(const nllb_shape& shape);

/// special_tokens_map.json for `shape`: {"additional_special_tokens": its
/// language codes}.
std::string nllb_special_tokens_map_json(const nllb_shape& shape);

} // namespace parley
