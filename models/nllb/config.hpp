#pragma once

#include <cstdint>
#include <string>

namespace parley::nllb {

/// The hyperparameters of an M2M100/NLLB checkpoint (its config.json).
struct model_config {
  int64_t vocab_size = 0;
  int64_t d_model = 0;
  int64_t encoder_layers = 0;
  int64_t decoder_layers = 0;
  int64_t encoder_heads = 0;
  int64_t decoder_heads = 0;
  int64_t encoder_ffn = 0;
  int64_t decoder_ffn = 0;
  int64_t max_positions = 0;
  bool scale_embedding = true;
  int64_t pad_id = 1;
  int64_t bos_id = 0;
  int64_t eos_id = 2;
  int64_t decoder_start_id = 2;
};

/// Parses config.json text. Throws std::runtime_error naming the problem: an
/// unknown `model_type`, a missing or invalid field, an activation other than
/// relu, or a d_model the heads do not divide.
model_config parse_model_config(const std::string& json_text);

} // namespace parley::nllb
