#pragma once

// Whisper speech recognition behind a torch-free interface: audio windows
// in, transcriptions out.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "messages/speech.hpp"
#include "models/speech_backend.hpp"
#include "models/transformer/compute_type.hpp"
#include "models/whisper/config.hpp"

namespace parley::whisper {

using transformer::compute_type;

struct transcriber_options {
  /// How the Linear layers hold and use their weights.
  compute_type type = compute_type::float32;
  /// Where it runs: "cpu" or "cuda:N" (as resolved from the `device`
  /// option).
  std::string device = "cpu";
  /// Intra-op threads for this model's inference; 0 keeps libtorch's.
  int threads = 0;
  /// 1 is greedy.
  int64_t num_beams = 1;
  /// Sampled tokens per window (Whisper: 224, half the text context).
  int64_t max_new_tokens = 224;
  /// The name results carry; defaults to "whisper:" and the directory name.
  std::string model_name;
};

/// A loaded Whisper checkpoint with its tokenizer. Replicas of one
/// checkpoint share its weights. Not thread-safe: one caller at a time.
class transcriber {
public:
  /// Loads the checkpoint in `dir`: config.json, model.safetensors and the
  /// tokenizer files (vocab.json or tokenizer.json, added_tokens.json,
  /// generation_config.json when present). Throws std::runtime_error naming
  /// what is missing or malformed.
  transcriber(const std::string& dir, const transcriber_options& options,
              const load_progress& progress = {});
  ~transcriber();
  transcriber(transcriber&&) noexcept;
  transcriber& operator=(transcriber&&) noexcept;

  /// Transcribes one window: padded or cut to the model's input length
  /// (30 s for the released models), in the window's language or the
  /// detected one, with timestamped segments when asked for and the model
  /// has timestamp tokens. Throws unsupported_language for a language the
  /// model lacks; libtorch errors become std::runtime_error.
  transcription transcribe(const audio_window& window) const;

  /// The detected language of a window and its probability.
  std::pair<std::string, float>
  detect_language(const std::vector<float>& samples) const;

  /// Longest window in seconds: the encoder's input length.
  double window_seconds() const;

  /// The languages of the checkpoint's language tokens ("en", "zh", ...), in
  /// token order; only "en" for an English-only model.
  std::vector<std::string> languages() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace parley::whisper
