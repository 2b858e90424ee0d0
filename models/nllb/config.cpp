#include "models/nllb/config.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/checkpoint/config_fields.hpp"

namespace parley::nllb {

using config_fields::read_id;
using config_fields::read_positive;

model_config parse_model_config(const std::string& json_text) {
  auto config = nlohmann::json::parse(json_text, nullptr, false);
  if (!config.is_object())
    throw std::runtime_error("config.json is not a JSON object");
  auto type = config.value("model_type", std::string{});
  if (type != "m2m_100")
    throw std::runtime_error("config.json: unsupported model_type '" + type
                             + "' (expected m2m_100: NLLB-200 or M2M100)");
  auto activation = config.value("activation_function", std::string{"relu"});
  if (activation != "relu")
    throw std::runtime_error("config.json: unsupported activation_function '"
                             + activation + "'");
  model_config c;
  c.vocab_size = read_positive(config, "vocab_size");
  c.d_model = read_positive(config, "d_model");
  c.encoder_layers = read_positive(config, "encoder_layers");
  c.decoder_layers = read_positive(config, "decoder_layers");
  c.encoder_heads = read_positive(config, "encoder_attention_heads");
  c.decoder_heads = read_positive(config, "decoder_attention_heads");
  c.encoder_ffn = read_positive(config, "encoder_ffn_dim");
  c.decoder_ffn = read_positive(config, "decoder_ffn_dim");
  c.max_positions = read_positive(config, "max_position_embeddings");
  c.scale_embedding = config.value("scale_embedding", true);
  c.pad_id = read_id(config, "pad_token_id", 1);
  c.bos_id = read_id(config, "bos_token_id", 0);
  c.eos_id = read_id(config, "eos_token_id", 2);
  c.decoder_start_id = read_id(config, "decoder_start_token_id", c.eos_id);
  if (c.d_model % c.encoder_heads != 0 || c.d_model % c.decoder_heads != 0)
    throw std::runtime_error("config.json: d_model is not a multiple of the "
                             "attention heads");
  return c;
}

} // namespace parley::nllb
