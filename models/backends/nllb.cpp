// The `nllb` backend: NLLB-200 / M2M100 checkpoints in the Hugging Face
// layout, on libtorch. Replicas of one checkpoint share its weights.
//
// nllb_kind() at the end declares its options and the hooks of the tools:
// `parley golden`, `parley make-checkpoint`, `parley bench model` and
// `parley translate --model DIR` find the kind by the `model_type` of a
// checkpoint's config.json ("m2m_100").

#include <memory>
#include <stdexcept>
#include <string>

#include <c10/util/Exception.h>

#include "models/checkpoint/model_shapes.hpp"
#include "models/load_progress.hpp"
#include "models/model_kind.hpp"
#include "models/nllb/benchmark.hpp"
#include "models/nllb/golden.hpp"
#include "models/nllb/translator.hpp"
#include "models/transformer/resolve_placement.hpp"

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
  generation.length_penalty =
      std::stod(options.get_string("length_penalty", "1.0"));
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

std::unique_ptr<translation_backend>
make_nllb_backend(const backend_options& options) {
  auto path = options.get_string("path", "");
  if (path.empty())
    throw std::invalid_argument("nllb backend: option 'path' (the checkpoint "
                                "directory) is required");
  auto where = transformer::resolve_placement(
      "nllb " + path, options.get_string("device", "cpu"),
      options.get_string("compute_type", "auto"),
      options.get_string("quantize", "none"));
  nllb::load_options load{where.type, where.device};
  if (transformer::uses_int8(load.type))
    nllb::select_quantized_engine();
  auto generation = read_options(options);
  auto weights = nllb::shared_weights(
      path, load, [&](double fraction, const std::string& step) {
        report_load_progress(path, fraction, step);
      });
  auto tokenizer =
      std::make_shared<const nllb_tokenizer>(path, weights->config.vocab_size);
  return std::make_unique<nllb_backend>(
      nllb::translator{std::move(weights), std::move(tokenizer), generation});
}

random_checkpoint random_nllb(const std::string& name, tensor_dtype dtype) {
  auto shape = find_nllb_shape(name);
  if (!shape)
    throw std::invalid_argument("nllb: no shape '" + name + "'");
  random_checkpoint result;
  result.files = {
      {"config.json", nllb_config_json(*shape, torch_dtype_name(dtype))},
      {"special_tokens_map.json", nllb_special_tokens_map_json(*shape)}};
  result.tensors = nllb_tensor_specs(*shape, dtype);
  result.rule = &nllb_init_rule;
  return result;
}

decode_timing time_nllb(const decode_settings& run) {
  return nllb::time_decoding(run.dir, run.compute_type, run.batch,
                             run.source_tokens, run.new_tokens, run.threads,
                             run.seed);
}

} // namespace

model_kind nllb_kind() {
  model_kind kind;
  kind.name = "nllb";
  kind.summary = "NLLB-200 / M2M100 checkpoints in the Hugging Face layout, "
                 "on libtorch";
  kind.factory = &make_nllb_backend;
  kind.options = checkpoint_decoder_options(
      "config.json, model.safetensors, sentencepiece.bpe.model");
  kind.options.insert(
      kind.options.end(),
      {
          {"length_penalty", option_type::real, "1.0",
           "beam score = log p / length^penalty"},
          {"max_new_tokens", option_type::integer, "256",
           "tokens generated per sentence"},
          {"max_length", option_type::integer, "0",
           "decoder length cap, start token included (0: none)"},
          {"no_repeat_ngram_size", option_type::integer, "0",
           "n-grams that may not repeat (0: repeats allowed)"},
          {"max_source_tokens", option_type::integer, "512",
           "source truncation per sentence"},
          {"max_batch_sentences", option_type::integer, "32",
           "sentences decoded together"},
      });
  kind.check_device = &check_neural_device;
  kind.announced_batch = &neural_announced_batch;
  auto& tools = kind.checkpoint;
  tools.model_types = {"m2m_100"};
  tools.golden = &nllb::run_golden;
  tools.shapes = [] { return shape_names(nllb_shapes()); };
  tools.make_random = &random_nllb;
  tools.tokenizer_file = "sentencepiece.bpe.model";
  tools.time_decoding = &time_nllb;
  tools.reference_script = "m2m100_reference.py";
  return kind;
}

} // namespace parley
