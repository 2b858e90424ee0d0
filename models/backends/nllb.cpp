// The `nllb` backend: NLLB-200 / M2M100 checkpoints in the Hugging Face
// layout, on libtorch. Replicas of one checkpoint share its weights.
//
// Options:
//   path                  checkpoint directory (required): config.json,
//                         model.safetensors (or a sharded index),
//                         sentencepiece.bpe.model, tokenizer files
//   compute_type          auto, float32, bfloat16, int8 or int8_bfloat16
//                         (auto: the fastest for this CPU; see
//                         models/transformer/compute_type.hpp)
//   quantize              legacy: "int8" means compute_type int8 ("none")
//   threads               intra-op threads for this model (0: libtorch's)
//   num_beams             1 is greedy (1)
//   length_penalty        beam score = log p / length^penalty (1.0)
//   max_new_tokens        (256)
//   max_length            decoder length cap, start token included (0: none)
//   no_repeat_ngram_size  (0: repeats allowed)
//   max_source_tokens     source truncation per sentence (512)
//   max_batch_sentences   sentences decoded together (32)

#include <memory>
#include <stdexcept>
#include <string>

#include <c10/util/Exception.h>

#include "models/backend.hpp"
#include "models/load_progress.hpp"
#include "models/transformer/compute_type.hpp"
#include "models/nllb/translator.hpp"

namespace parley {

namespace {

class nllb_backend final : public translation_backend {
public:
  explicit nllb_backend(nllb::translator translator)
    : translator_(std::move(translator)) {
  }

  std::vector<job_output> translate(const translation_batch& batch) override {
    try {
      return translator_.translate(batch);
    } catch (const c10::Error& e) {
      // libtorch's what() carries a stack trace; clients get the message.
      throw std::runtime_error(e.what_without_backtrace());
    }
  }

  language_routes routes() const override {
    return translator_.routes();
  }

private:
  nllb::translator translator_;
};

nllb::translator_options read_options(const backend_options& options) {
  nllb::translator_options result;
  auto& generation = result.generation;
  generation.num_beams = options.get_int("num_beams", 1);
  generation.length_penalty
    = std::stod(options.get_string("length_penalty", "1.0"));
  generation.max_new_tokens = options.get_int("max_new_tokens", 256);
  generation.max_length = options.get_int("max_length", 0);
  generation.no_repeat_ngram_size = options.get_int("no_repeat_ngram_size", 0);
  result.max_source_tokens = options.get_int("max_source_tokens", 512);
  result.max_batch_sentences = options.get_int("max_batch_sentences", 32);
  result.threads = static_cast<int>(options.get_int("threads", 0));
  if (generation.num_beams < 1 || generation.max_new_tokens < 1
      || result.max_source_tokens < 2 || result.max_batch_sentences < 1
      || result.threads < 0)
    throw std::invalid_argument("nllb backend: num_beams, max_new_tokens, "
                                "max_batch_sentences must be positive and "
                                "max_source_tokens at least 2");
  return result;
}

} // namespace

std::unique_ptr<translation_backend>
make_nllb_backend(const backend_options& options) {
  auto path = options.get_string("path", "");
  if (path.empty())
    throw std::invalid_argument("nllb backend: option 'path' (the checkpoint "
                                "directory) is required");
  nllb::load_options load;
  load.type = transformer::resolve_compute_type(
    "nllb " + path, options.get_string("compute_type", "auto"),
    options.get_string("quantize", "none"));
  if (transformer::uses_int8(load.type))
    nllb::select_quantized_engine();
  auto generation = read_options(options);
  auto weights = nllb::shared_weights(
    path, load, [&](double fraction, const std::string& step) {
      report_load_progress(path, fraction, step);
    });
  auto tokenizer = std::make_shared<const nllb_tokenizer>(
    path, weights->config.vocab_size);
  return std::make_unique<nllb_backend>(
    nllb::translator{std::move(weights), std::move(tokenizer), generation});
}

} // namespace parley
