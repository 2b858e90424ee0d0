#include "models/checkpoint/model_shapes.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/checkpoint/nllb_codes.hpp"
#include "models/whisper/tokenizer.hpp"

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

namespace {

// The multilingual Whisper vocabulary: 50257 text tokens, then the control
// tokens from <|endoftext|> on.
constexpr int64_t whisper_text_tokens = 50257;

void add_whisper_attention(std::vector<tensor_spec>& specs,
                           const std::string& prefix, int64_t d,
                           tensor_dtype dtype) {
  add_linear(specs, prefix + ".q_proj", d, d, dtype);
  specs.push_back({prefix + ".k_proj.weight", dtype, {d, d}});
  add_linear(specs, prefix + ".v_proj", d, d, dtype);
  add_linear(specs, prefix + ".out_proj", d, d, dtype);
  add_layer_norm(specs, prefix + "_layer_norm", d, dtype);
}

void add_whisper_stack(std::vector<tensor_spec>& specs, const std::string& side,
                       const whisper_shape& shape, bool cross,
                       tensor_dtype dtype) {
  auto d = shape.d_model;
  auto layers = side == "encoder" ? shape.encoder_layers : shape.decoder_layers;
  for (int64_t i = 0; i < layers; ++i) {
    auto p = "model." + side + ".layers." + std::to_string(i);
    add_whisper_attention(specs, p + ".self_attn", d, dtype);
    if (cross)
      add_whisper_attention(specs, p + ".encoder_attn", d, dtype);
    add_linear(specs, p + ".fc1", shape.ffn_dim, d, dtype);
    add_linear(specs, p + ".fc2", d, shape.ffn_dim, dtype);
    add_layer_norm(specs, p + ".final_layer_norm", d, dtype);
  }
  add_layer_norm(specs, "model." + side + ".layer_norm", d, dtype);
}

std::string whisper_byte_token(int64_t byte) {
  std::string text;
  auto c = whisper::bytes_to_unicode()[byte];
  if (c < 0x80) {
    text += static_cast<char>(c);
  } else {
    text += static_cast<char>(0xC0 | (c >> 6));
    text += static_cast<char>(0x80 | (c & 0x3F));
  }
  return text;
}

} // namespace

const std::vector<whisper_shape>& whisper_shapes() {
  static const std::vector<whisper_shape> shapes = {
      {"whisper-tiny", 384, 4, 4, 6, 1536, 80, 1500, 448, 51865},
      {"whisper-base", 512, 6, 6, 8, 2048, 80, 1500, 448, 51865},
  };
  return shapes;
}

std::optional<whisper_shape> find_whisper_shape(const std::string& name) {
  for (const auto& shape : whisper_shapes())
    if (shape.name == name)
      return shape;
  return std::nullopt;
}

std::vector<tensor_spec> whisper_tensor_specs(const whisper_shape& shape,
                                              tensor_dtype dtype) {
  auto d = shape.d_model;
  std::vector<tensor_spec> specs;
  specs.push_back(
      {"model.encoder.conv1.weight", dtype, {d, shape.num_mel_bins, 3}});
  specs.push_back({"model.encoder.conv1.bias", dtype, {d}});
  specs.push_back({"model.encoder.conv2.weight", dtype, {d, d, 3}});
  specs.push_back({"model.encoder.conv2.bias", dtype, {d}});
  specs.push_back({"model.encoder.embed_positions.weight",
                   dtype,
                   {shape.max_source_positions, d}});
  add_whisper_stack(specs, "encoder", shape, /*cross=*/false, dtype);
  specs.push_back(
      {"model.decoder.embed_tokens.weight", dtype, {shape.vocab_size, d}});
  specs.push_back({"model.decoder.embed_positions.weight",
                   dtype,
                   {shape.max_target_positions, d}});
  add_whisper_stack(specs, "decoder", shape, /*cross=*/true, dtype);
  return specs;
}

init_rule whisper_init_rule(const tensor_spec& spec) {
  auto ends_with = [&](const std::string& suffix) {
    return spec.name.size() >= suffix.size()
           && spec.name.compare(spec.name.size() - suffix.size(), suffix.size(),
                                suffix)
                  == 0;
  };
  if (spec.name.find("embed_") != std::string::npos)
    return {0.0f, 0.02f};
  if (spec.name.find("layer_norm") != std::string::npos)
    return ends_with(".weight") ? init_rule{1.0f, 0.02f}
                                : init_rule{0.0f, 0.02f};
  if (ends_with(".weight") && spec.shape.size() >= 2) {
    int64_t fan_in = 1;
    for (size_t i = 1; i < spec.shape.size(); ++i)
      fan_in *= spec.shape[i];
    return {0.0f, 1.0f / std::sqrt(static_cast<float>(fan_in))};
  }
  return {0.0f, 0.01f};
}

std::string whisper_config_json(const whisper_shape& shape,
                                const std::string& torch_dtype) {
  nlohmann::ordered_json config;
  config["model_type"] = "whisper";
  config["architectures"] =
      nlohmann::ordered_json::array({"WhisperForConditionalGeneration"});
  config["vocab_size"] = shape.vocab_size;
  config["num_mel_bins"] = shape.num_mel_bins;
  config["d_model"] = shape.d_model;
  config["encoder_layers"] = shape.encoder_layers;
  config["decoder_layers"] = shape.decoder_layers;
  config["encoder_attention_heads"] = shape.attention_heads;
  config["decoder_attention_heads"] = shape.attention_heads;
  config["encoder_ffn_dim"] = shape.ffn_dim;
  config["decoder_ffn_dim"] = shape.ffn_dim;
  config["max_source_positions"] = shape.max_source_positions;
  config["max_target_positions"] = shape.max_target_positions;
  config["activation_function"] = "gelu";
  config["scale_embedding"] = false;
  config["tie_word_embeddings"] = true;
  config["decoder_start_token_id"] = whisper_text_tokens + 1;
  config["eos_token_id"] = whisper_text_tokens;
  config["pad_token_id"] = whisper_text_tokens;
  config["bos_token_id"] = whisper_text_tokens;
  config["torch_dtype"] = torch_dtype;
  return config.dump(2) + "\n";
}

const std::vector<std::string>& whisper_language_codes() {
  static const std::vector<std::string> codes = {
      "en", "zh", "de", "es", "ru", "ko",  "fr", "ja", "pt", "tr", "pl",
      "ca", "nl", "ar", "sv", "it", "id",  "hi", "fi", "vi", "he", "uk",
      "el", "ms", "cs", "ro", "da", "hu",  "ta", "no", "th", "ur", "hr",
      "bg", "lt", "la", "mi", "ml", "cy",  "sk", "te", "fa", "lv", "bn",
      "sr", "az", "sl", "kn", "et", "mk",  "br", "eu", "is", "hy", "ne",
      "mn", "bs", "kk", "sq", "sw", "gl",  "mr", "pa", "si", "km", "sn",
      "yo", "so", "af", "oc", "ka", "be",  "tg", "sd", "gu", "am", "yi",
      "lo", "uz", "fo", "ht", "ps", "tk",  "nn", "mt", "sa", "lb", "my",
      "bo", "tl", "mg", "as", "tt", "haw", "ln", "ha", "ba", "jw", "su"};
  return codes;
}

std::string whisper_vocab_json(const whisper_shape& shape) {
  // Sorted by token string: an ordered_json would look keys up linearly.
  nlohmann::json vocab;
  auto count = std::min(whisper_text_tokens, shape.vocab_size);
  for (int64_t id = 0; id < count; ++id)
    vocab[id < 256 ? whisper_byte_token(id)
                   : whisper_byte_token(' ') + "w" + std::to_string(id)] = id;
  return vocab.dump() + "\n";
}

std::string whisper_added_tokens_json(const whisper_shape& shape) {
  nlohmann::ordered_json added;
  auto id = whisper_text_tokens;
  auto add = [&](const std::string& text) {
    if (id < shape.vocab_size)
      added[text] = id++;
  };
  add("<|endoftext|>");
  add("<|startoftranscript|>");
  for (const auto& code : whisper_language_codes())
    add("<|" + code + "|>");
  for (auto text : {"<|translate|>", "<|transcribe|>", "<|startoflm|>",
                    "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>"})
    add(text);
  // <|0.00|>, <|0.02|>, ... <|30.00|>: one per 20 ms
  for (int64_t step = 0; id < shape.vocab_size; ++step) {
    char text[32];
    std::snprintf(text, sizeof text, "<|%lld.%02lld|>",
                  static_cast<long long>(step * 2 / 100),
                  static_cast<long long>(step * 2 % 100));
    add(text);
  }
  return added.dump(2) + "\n";
}

std::string torch_dtype_name(tensor_dtype dtype) {
  switch (dtype) {
  case tensor_dtype::f32:
    return "float32";
  case tensor_dtype::f16:
    return "float16";
  case tensor_dtype::bf16:
    return "bfloat16";
  default:
    throw std::invalid_argument("checkpoints store float32, float16 or "
                                "bfloat16 weights");
  }
}

} // namespace parley
