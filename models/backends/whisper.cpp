// The `whisper` transcriber: Whisper checkpoints in the Hugging Face layout
// (tools/convert_whisper.py converts OpenAI's .pt files), on libtorch.
// Replicas of one checkpoint share its weights.
//
// Options:
//   path            checkpoint directory (required): config.json,
//                   model.safetensors, vocab.json (or tokenizer.json),
//                   added_tokens.json, generation_config.json
//   compute_type    auto, float32, bfloat16, int8 or int8_bfloat16 (auto:
//                   the fastest for this CPU; see
//                   models/transformer/compute_type.hpp)
//   quantize        legacy: "int8" means compute_type int8 ("none")
//   threads         intra-op threads for this model (0: libtorch's)
//   num_beams       1 is greedy (1)
//   max_new_tokens  tokens per 30 s window (224)
//   name            the model name results carry ("whisper:" + directory)

#include <memory>
#include <stdexcept>
#include <string>

#include "models/load_progress.hpp"
#include "models/transformer/compute_type.hpp"
#include "models/speech_backend.hpp"
#include "models/whisper/transcriber.hpp"

namespace parley {

namespace {

class whisper_backend final : public transcription_backend {
public:
  explicit whisper_backend(whisper::transcriber transcriber)
      : transcriber_(std::move(transcriber)) {
  }

  // The transcriber turns libtorch's errors into std::runtime_error.
  transcription transcribe(const audio_window& window) override {
    return transcriber_.transcribe(window);
  }

  double window_seconds() const override {
    return transcriber_.window_seconds();
  }

  std::vector<std::string> languages() const override {
    return transcriber_.languages();
  }

private:
  whisper::transcriber transcriber_;
};

} // namespace

std::unique_ptr<transcription_backend>
make_whisper_transcriber(const backend_options& options) {
  auto path = options.get_string("path", "");
  if (path.empty())
    throw std::invalid_argument("whisper transcriber: option 'path' (the "
                                "checkpoint directory) is required");
  whisper::transcriber_options settings;
  settings.type = transformer::resolve_compute_type(
      "whisper " + path, options.get_string("compute_type", "auto"),
      options.get_string("quantize", "none"));
  settings.threads = static_cast<int>(options.get_int("threads", 0));
  settings.num_beams = options.get_int("num_beams", 1);
  settings.max_new_tokens = options.get_int("max_new_tokens", 224);
  settings.model_name = options.get_string("name", "");
  if (settings.threads < 0 || settings.num_beams < 1
      || settings.max_new_tokens < 1)
    throw std::invalid_argument("whisper transcriber: num_beams and "
                                "max_new_tokens must be positive and threads "
                                "not negative");
  return std::make_unique<whisper_backend>(whisper::transcriber{
      path, settings, [&](double fraction, const std::string& step) {
        report_load_progress(path, fraction, step);
      }});
}

} // namespace parley
