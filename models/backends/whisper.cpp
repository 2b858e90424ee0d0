// The `whisper` transcriber: Whisper checkpoints in the Hugging Face layout
// (tools/convert_whisper.py converts OpenAI's .pt files), on libtorch.
// Replicas of one checkpoint share its weights.
//
// whisper_kind() at the end declares its options and the hooks of `parley
// golden` and `parley make-checkpoint` (model_type "whisper").

#include <memory>
#include <stdexcept>
#include <string>

#include "models/checkpoint/model_shapes.hpp"
#include "models/load_progress.hpp"
#include "models/model_kind.hpp"
#include "models/speech_backend.hpp"
#include "models/transformer/resolve_placement.hpp"
#include "models/whisper/golden.hpp"
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

std::unique_ptr<transcription_backend>
make_whisper_transcriber(const backend_options& options) {
  auto path = options.get_string("path", "");
  if (path.empty())
    throw std::invalid_argument("whisper transcriber: option 'path' (the "
                                "checkpoint directory) is required");
  whisper::transcriber_options settings;
  auto where = transformer::resolve_placement(
      "whisper " + path, options.get_string("device", "cpu"),
      options.get_string("compute_type", "auto"),
      options.get_string("quantize", "none"));
  settings.type = where.type;
  settings.device = where.device.str();
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

random_checkpoint random_whisper(const std::string& name, tensor_dtype dtype) {
  auto shape = find_whisper_shape(name);
  if (!shape)
    throw std::invalid_argument("whisper: no shape '" + name + "'");
  random_checkpoint result;
  result.files = {
      {"config.json", whisper_config_json(*shape, torch_dtype_name(dtype))},
      {"vocab.json", whisper_vocab_json(*shape)},
      {"added_tokens.json", whisper_added_tokens_json(*shape)}};
  result.tensors = whisper_tensor_specs(*shape, dtype);
  result.rule = &whisper_init_rule;
  return result;
}

} // namespace

model_kind whisper_kind() {
  model_kind kind;
  kind.name = "whisper";
  kind.summary = "Whisper checkpoints in the Hugging Face layout, on libtorch";
  kind.factory = &make_whisper_transcriber;
  kind.options = checkpoint_decoder_options(
      "config.json, model.safetensors, vocab.json, added_tokens.json");
  kind.options.insert(
      kind.options.end(),
      {
          {"max_new_tokens", option_type::integer, "224",
           "tokens per 30 s window"},
          {"name", option_type::text, "",
           "the model name results carry (\"whisper:\" + directory)"},
      });
  kind.check_device = &check_neural_device;
  kind.announced_batch = &neural_announced_batch;
  auto& tools = kind.checkpoint;
  tools.model_types = {"whisper"};
  tools.golden = &whisper::run_golden;
  tools.shapes = [] { return shape_names(whisper_shapes()); };
  tools.make_random = &random_whisper;
  return kind;
}

} // namespace parley
