#pragma once

// The dimensions and tensor names of the NLLB-200 / M2M100 and Whisper models
// in the Hugging Face layout, for writing random checkpoints of their real
// size.

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

/// Hyperparameters of a WhisperForConditionalGeneration model.
struct whisper_shape {
  std::string name;
  int64_t d_model = 0;
  int64_t encoder_layers = 0;
  int64_t decoder_layers = 0;
  int64_t attention_heads = 0;
  int64_t ffn_dim = 0;
  int64_t num_mel_bins = 0;
  int64_t max_source_positions = 0;
  int64_t max_target_positions = 0;
  int64_t vocab_size = 0;
};

/// The known shapes: "whisper-tiny" and "whisper-base" (multilingual).
const std::vector<whisper_shape>& whisper_shapes();

/// The shape called `name`, or nullopt.
std::optional<whisper_shape> find_whisper_shape(const std::string& name);

/// Every stored tensor of `shape`, in module order: the encoder's
/// convolutions, positions, layers and final layer norm, then the decoder's
/// token and position embeddings, layers and final layer norm. k_proj has no
/// bias; the output projection is tied to model.decoder.embed_tokens.weight
/// and not stored.
std::vector<tensor_spec>
whisper_tensor_specs(const whisper_shape& shape,
                     tensor_dtype dtype = tensor_dtype::f32);

/// How random checkpoints fill tensor `spec` of a Whisper model: Linear and
/// convolution weights with stddev 1/sqrt(fan in), biases 0.01, LayerNorm
/// weights near 1 and biases near 0, embeddings 0.02.
init_rule whisper_init_rule(const tensor_spec& spec);

/// config.json for `shape`: the Hugging Face WhisperConfig fields, with the
/// multilingual token ids and torch_dtype `torch_dtype`.
std::string whisper_config_json(const whisper_shape& shape,
                                const std::string& torch_dtype);

/// The 99 language codes of the multilingual Whisper models, in token-id
/// order (<|en|> = 50259 ... <|su|>).
const std::vector<std::string>& whisper_language_codes();

/// A stand-in vocab.json for random checkpoints: the 50257 text ids as
/// byte-level tokens (id b < 256 is byte b, id n >= 256 is " w<n>").
std::string whisper_vocab_json(const whisper_shape& shape);

/// added_tokens.json in the multilingual layout: <|endoftext|> 50257,
/// <|startoftranscript|>, the languages, the tasks and controls, then the
/// timestamps <|0.00|> to <|30.00|> up to the end of the vocabulary.
std::string whisper_added_tokens_json(const whisper_shape& shape);

/// The names of `shapes` (nllb_shapes(), whisper_shapes()), in order.
template <class Shape>
std::vector<std::string> shape_names(const std::vector<Shape>& shapes) {
  std::vector<std::string> names;
  for (const auto& shape : shapes)
    names.push_back(shape.name);
  return names;
}

/// The config.json `torch_dtype` of weights stored as `dtype`: "float32",
/// "float16" or "bfloat16". Throws std::invalid_argument for other types.
std::string torch_dtype_name(tensor_dtype dtype);

} // namespace parley
