#include "models/checkpoint/model_shapes.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "models/checkpoint/nllb_codes.hpp"

namespace parley {

namespace {

void add_linear(std::vector<tensor_spec>& specs, const std::string& prefix,
                int64_t out, int64_t in, tensor_dtype dtype) {
  specs.push_back({prefix + ".weight", dtype, {out, in}});
  specs.push_back({prefix + ".bias", dtype, {out}});
}

void add_layer_norm(std::vector<tensor_spec>& specs, const std::string& prefix,
                    int64_t d, tensor_dtype dtype) {
  specs.push_back({prefix + ".weight", dtype, {d}});
  specs.push_back({prefix + ".bias", dtype, {d}});
}

void add_attention(std::vector<tensor_spec>& specs, const std::string& prefix,
                   int64_t d, tensor_dtype dtype) {
  for (const char* proj : {"q_proj", "k_proj", "v_proj", "out_proj"})
    add_linear(specs, prefix + "." + proj, d, d, dtype);
  add_layer_norm(specs, prefix + "_layer_norm", d, dtype);
}

void add_stack(std::vector<tensor_spec>& specs, const std::string& side,
               int64_t layers, int64_t d, int64_t ffn, bool cross,
               tensor_dtype dtype) {
  for (int64_t i = 0; i < layers; ++i) {
    auto p = "model." + side + ".layers." + std::to_string(i);
    add_attention(specs, p + ".self_attn", d, dtype);
    if (cross)
      add_attention(specs, p + ".encoder_attn", d, dtype);
    add_linear(specs, p + ".fc1", ffn, d, dtype);
    add_linear(specs, p + ".fc2", d, ffn, dtype);
    add_layer_norm(specs, p + ".final_layer_norm", d, dtype);
  }
  add_layer_norm(specs, "model." + side + ".layer_norm", d, dtype);
}

} // namespace

const std::vector<nllb_shape>& nllb_shapes() {
  static const std::vector<nllb_shape> shapes = {
      {"nllb-600m", 1024, 12, 12, 16, 16, 4096, 4096, 256206, 1024},
      {"nllb-1.3b", 1024, 24, 24, 16, 16, 8192, 8192, 256206, 1024},
      {"tiny", 32, 2, 2, 4, 4, 64, 64, 1006, 64},
  };
  return shapes;
}

std::optional<nllb_shape> find_nllb_shape(const std::string& name) {
  for (const auto& shape : nllb_shapes())
    if (shape.name == name)
      return shape;
  return std::nullopt;
}

std::vector<tensor_spec> nllb_tensor_specs(const nllb_shape& shape,
                                           tensor_dtype dtype) {
  std::vector<tensor_spec> specs;
  specs.push_back(
      {"model.shared.weight", dtype, {shape.vocab_size, shape.d_model}});
  add_stack(specs, "encoder", shape.encoder_layers, shape.d_model,
            shape.encoder_ffn_dim, /*cross=*/false, dtype);
  add_stack(specs, "decoder", shape.decoder_layers, shape.d_model,
            shape.decoder_ffn_dim, /*cross=*/true, dtype);
  return specs;
}

init_rule nllb_init_rule(const tensor_spec& spec) {
  auto ends_with = [&](const std::string& suffix) {
    return spec.name.size() >= suffix.size()
           && spec.name.compare(spec.name.size() - suffix.size(), suffix.size(),
                                suffix)
                  == 0;
  };
  if (spec.name == "model.shared.weight")
    return {0.0f, 0.05f, /*zero_row=*/1};
  bool layer_norm = spec.name.find("layer_norm") != std::string::npos;
  if (layer_norm)
    return ends_with(".weight") ? init_rule{1.0f, 0.02f}
                                : init_rule{0.0f, 0.02f};
  if (ends_with(".weight") && spec.shape.size() == 2)
    return {0.0f, 1.0f / std::sqrt(static_cast<float>(spec.shape[1]))};
  return {0.0f, 0.01f};
}

std::string nllb_config_json(const nllb_shape& shape,
                             const std::string& torch_dtype) {
  nlohmann::ordered_json config;
  config["model_type"] = "m2m_100";
  config["architectures"] =
      nlohmann::ordered_json::array({"M2M100ForConditionalGeneration"});
  config["vocab_size"] = shape.vocab_size;
  config["d_model"] = shape.d_model;
  config["encoder_layers"] = shape.encoder_layers;
  config["decoder_layers"] = shape.decoder_layers;
  config["encoder_attention_heads"] = shape.encoder_attention_heads;
  config["decoder_attention_heads"] = shape.decoder_attention_heads;
  config["encoder_ffn_dim"] = shape.encoder_ffn_dim;
  config["decoder_ffn_dim"] = shape.decoder_ffn_dim;
  config["activation_function"] = "relu";
  config["scale_embedding"] = true;
  config["max_position_embeddings"] = shape.max_position_embeddings;
  config["pad_token_id"] = 1;
  config["bos_token_id"] = 0;
  config["eos_token_id"] = 2;
  config["decoder_start_token_id"] = 2;
  config["tie_word_embeddings"] = true;
  config["torch_dtype"] = torch_dtype;
  return config.dump(2) + "\n";
}

std::vector<std::string> nllb_shape_languages(const nllb_shape& shape) {
  if (shape.name == "tiny")
    return {"eng_Latn", "fra_Latn", "spa_Latn", "deu_Latn"};
  return nllb_language_codes();
}

std::string nllb_special_tokens_map_json(const nllb_shape& shape) {
  nlohmann::ordered_json map;
  map["additional_special_tokens"] = nllb_shape_languages(shape);
  return map.dump(2) + "\n";
}

} // namespace parley
