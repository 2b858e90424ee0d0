#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parley::whisper {

/// The hyperparameters of a Whisper checkpoint (its config.json, Hugging Face
/// `WhisperConfig`).
struct model_config {
  int64_t vocab_size = 0;           // vocab_size
  int64_t num_mel_bins = 0;         // num_mel_bins
  int64_t d_model = 0;              // d_model
  int64_t encoder_layers = 0;       // encoder_layers
  int64_t decoder_layers = 0;       // decoder_layers
  int64_t encoder_heads = 0;        // encoder_attention_heads
  int64_t decoder_heads = 0;        // decoder_attention_heads
  int64_t encoder_ffn = 0;          // encoder_ffn_dim
  int64_t decoder_ffn = 0;          // decoder_ffn_dim
  int64_t max_source_positions = 0; // audio positions after the convolutions
  int64_t max_target_positions = 0; // decoder positions, prompt included
  int64_t decoder_start_id =
      0;              // decoder_start_token_id (<|startoftranscript|>)
  int64_t eos_id = 0; // eos_token_id: <|endoftext|>
  int64_t pad_id = 0; // pad_token_id
  /// Tokens never sampled (non-speech symbols), when config.json lists them.
  std::vector<int64_t> suppress_tokens;
  /// Tokens not sampled first (the space and <|endoftext|>), when listed.
  std::vector<int64_t> begin_suppress_tokens;

  /// Mel frames the encoder takes: two per audio position (conv2 has
  /// stride 2); 3000 frames (30 s) for the released models.
  int64_t input_frames() const {
    return 2 * max_source_positions;
  }
};

/// Reports loading progress: a fraction in [0, 1] and what is being done.
using load_progress = std::function<void(double, const std::string&)>;

/// Parses config.json text. Throws std::runtime_error naming the problem: an
/// unknown `model_type`, a missing or invalid field, an activation other than
/// gelu, or a d_model the heads do not divide.
model_config parse_model_config(const std::string& json_text);

} // namespace parley::whisper
