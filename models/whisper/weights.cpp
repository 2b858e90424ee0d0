#include "models/whisper/weights.hpp"

#include <stdexcept>

#include "models/checkpoint/checkpoint.hpp"
#include "models/transformer/weight_cache.hpp"

namespace parley::whisper {

namespace {

conv_weights read_conv(const transformer::tensor_reader& read,
                       const std::string& prefix, int64_t in, int64_t out,
                       const transformer::placement& where) {
  return {where.place(read.get(prefix + ".weight", {out, in, 3})),
          where.place(read.get(prefix + ".bias", {out}))};
}

} // namespace

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
  auto total = static_cast<double>(c.encoder_layers + c.decoder_layers + 2);
  double done = 0;

  // encoder stem: two convolutions and the audio positions
  weights->conv1 =
      read_conv(read, "model.encoder.conv1", c.num_mel_bins, d, where);
  weights->conv2 = read_conv(read, "model.encoder.conv2", d, d, where);
  weights->encoder_positions = where.place(read.get(
      "model.encoder.embed_positions.weight", {c.max_source_positions, d}));
  report(++done / total, "encoder convolutions");
  for (int64_t i = 0; i < c.encoder_layers; ++i) {
    weights->encoder.push_back(read.encoder_layer(
        "model.encoder.layers." + std::to_string(i), encoder_spec(c), where));
    report(++done / total, "encoder layer " + std::to_string(i + 1));
  }
  weights->encoder_norm = read.norm("model.encoder.layer_norm", d);
  transformer::place(weights->encoder_norm, where);

  // decoder
  // The token embedding, or the output projection tied to it when only
  // that was kept.
  weights->embed_tokens =
      read.first_of({"model.decoder.embed_tokens.weight", "proj_out.weight"},
                    {c.vocab_size, d});
  weights->decoder_positions = where.place(read.get(
      "model.decoder.embed_positions.weight", {c.max_target_positions, d}));
  for (int64_t i = 0; i < c.decoder_layers; ++i) {
    weights->decoder.push_back(read.decoder_layer(
        "model.decoder.layers." + std::to_string(i), decoder_spec(c), where));
    report(++done / total, "decoder layer " + std::to_string(i + 1));
  }
  weights->decoder_norm = read.norm("model.decoder.layer_norm", d);
  transformer::place(weights->decoder_norm, where);
  // The output projection is tied to the embedding. On the CPU the
  // embedding's float copy stays for lookups; on a GPU both read one copy in
  // the compute type.
  weights->embed_tokens = where.place(weights->embed_tokens);
  weights->proj_out = linear_layer{weights->embed_tokens, at::Tensor()};
  transformer::place(weights->proj_out, where, /*keep_float=*/true);
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

} // namespace parley::whisper
