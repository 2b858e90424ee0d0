#include "models/nllb/weights.hpp"

#include <cmath>
#include <stdexcept>

#include "models/checkpoint/checkpoint.hpp"
#include "models/transformer/weight_cache.hpp"

namespace parley::nllb {

namespace {

/// Enough positions for 512 source tokens or 256 + start target tokens, and
/// for longer settings too.
constexpr int64_t min_position_rows = 2048;

} // namespace

at::Tensor sinusoidal_positions(int64_t rows, int64_t dim, int64_t pad_id) {
  auto half = dim / 2;
  auto step = std::log(10000.0) / static_cast<double>(half - 1);
  auto frequencies = at::exp(at::arange(half, at::kFloat) * -step);
  auto angles =
      at::arange(rows, at::kFloat).unsqueeze(1) * frequencies.unsqueeze(0);
  auto table = at::cat({at::sin(angles), at::cos(angles)}, 1).view({rows, -1});
  if (dim % 2 == 1)
    table = at::cat({table, at::zeros({rows, 1})}, 1);
  table[pad_id].zero_();
  return table;
}

std::shared_ptr<const model_weights>
load_weights(const std::string& dir, const load_options& options,
             const load_progress& progress) {
  auto report = [&](double fraction, const std::string& what) {
    if (progress)
      progress(fraction, what);
  };
  report(0.0, "opening " + dir);
  auto source = std::make_shared<const checkpoint>(checkpoint::open(dir));
  auto weights = std::make_shared<model_weights>();
  auto& c = weights->config = parse_model_config(source->config_json());
  weights->source = source;
  weights->type = options.type;
  weights->device = options.device;
  auto where = weights->where();
  transformer::prepare_device(where.device);
  transformer::tensor_reader read{source};
  auto d = c.d_model;
  // The token embedding, under whichever of its tied names the checkpoint
  // kept.
  weights->shared =
      read.first_of({"model.shared.weight", "model.encoder.embed_tokens.weight",
                     "model.decoder.embed_tokens.weight", "lm_head.weight"},
                    {c.vocab_size, d});
  auto total = static_cast<double>(c.encoder_layers + c.decoder_layers + 2);
  double done = 1;
  for (int64_t i = 0; i < c.encoder_layers; ++i) {
    weights->encoder.push_back(read.encoder_layer(
        "model.encoder.layers." + std::to_string(i), encoder_spec(c), where));
    report(done++ / total, "encoder layer " + std::to_string(i + 1));
  }
  weights->encoder_norm = read.norm("model.encoder.layer_norm", d);
  transformer::place(weights->encoder_norm, where);
  for (int64_t i = 0; i < c.decoder_layers; ++i) {
    weights->decoder.push_back(read.decoder_layer(
        "model.decoder.layers." + std::to_string(i), decoder_spec(c), where));
    report(done++ / total, "decoder layer " + std::to_string(i + 1));
  }
  weights->decoder_norm = read.norm("model.decoder.layer_norm", d);
  transformer::place(weights->decoder_norm, where);
  // The LM head is tied to the embedding. On the CPU the embedding's float
  // copy stays for lookups; on a GPU both read one copy in the compute type.
  weights->shared = where.place(weights->shared);
  weights->lm_head = vocabulary_head{weights->shared, where};
  // Position p's row does not depend on the table's size, so a table longer
  // than max_position_embeddings changes nothing but lets sequences grow
  // past it, as Hugging Face's growing table does.
  weights->positions = where.place(sinusoidal_positions(
      std::max<int64_t>(c.max_positions, min_position_rows) + 4, d, c.pad_id));
  report(1.0, "loaded");
  return weights;
}

std::shared_ptr<const model_weights>
shared_weights(const std::string& dir, const load_options& options,
               const load_progress& progress) {
  return transformer::load_shared<model_weights>(
      dir, transformer::placement{options.type, options.device}.describe(),
      [&] { return load_weights(dir, options, progress); });
}

} // namespace parley::nllb
