#include "models/whisper/config.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/checkpoint/config_fields.hpp"

namespace parley::whisper {

using config_fields::read_id;
using config_fields::read_ids;
using config_fields::read_positive;

model_config parse_model_config(const std::string& json_text) {
  auto config = nlohmann::json::parse(json_text, nullptr, false);
  if (!config.is_object())
    throw std::runtime_error("config.json is not a JSON object");
  auto type = config.value("model_type", std::string{});
  if (type != "whisper")
    throw std::runtime_error("config.json: unsupported model_type '" + type
                             + "' (expected whisper)");
  auto activation = config.value("activation_function", std::string{"gelu"});
  if (activation != "gelu")
    throw std::runtime_error("config.json: unsupported activation_function '"
                             + activation + "' (expected gelu)");
  model_config c;
  c.vocab_size = read_positive(config, "vocab_size");
  c.num_mel_bins = read_positive(config, "num_mel_bins");
  c.d_model = read_positive(config, "d_model");
  c.encoder_layers = read_positive(config, "encoder_layers");
  c.decoder_layers = read_positive(config, "decoder_layers");
  c.encoder_heads = read_positive(config, "encoder_attention_heads");
  c.decoder_heads = read_positive(config, "decoder_attention_heads");
  c.encoder_ffn = read_positive(config, "encoder_ffn_dim");
  c.decoder_ffn = read_positive(config, "decoder_ffn_dim");
  c.max_source_positions = read_positive(config, "max_source_positions");
  c.max_target_positions = read_positive(config, "max_target_positions");
  c.eos_id =
      read_id(config, "eos_token_id", c.vocab_size >= 51865 ? 50257 : 50256);
  c.pad_id = read_id(config, "pad_token_id", c.eos_id);
  c.decoder_start_id = read_id(config, "decoder_start_token_id", c.eos_id + 1);
  c.suppress_tokens = read_ids(config, "suppress_tokens");
  c.begin_suppress_tokens = read_ids(config, "begin_suppress_tokens");
  if (c.d_model % c.encoder_heads != 0 || c.d_model % c.decoder_heads != 0)
    throw std::runtime_error("config.json: d_model is not a multiple of the "
                             "attention heads");
  for (auto id : {c.eos_id, c.pad_id, c.decoder_start_id})
    if (id >= c.vocab_size)
      throw std::runtime_error("config.json: special token id "
                               + std::to_string(id)
                               + " is outside the "
                                 "vocabulary of "
                               + std::to_string(c.vocab_size));
  return c;
}

} // namespace parley::whisper
