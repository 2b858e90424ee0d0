#include "models/nllb/weights.hpp"

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "models/checkpoint/checkpoint.hpp"
#include "models/torch_tensors.hpp"

namespace parley::nllb {

namespace {

using shape = std::vector<int64_t>;

/// Enough positions for 512 source tokens or 256 + start target tokens, and
/// for longer settings too.
constexpr int64_t min_position_rows = 2048;

/// Looks up tensors under their checkpoint keys, checking shapes.
class tensor_reader {
public:
  explicit tensor_reader(std::shared_ptr<const checkpoint> source)
    : source_(std::move(source)) {
  }

  at::Tensor get(const std::string& name, const shape& expected) const {
    const auto& view = source_->at(name, expected);
    if (view.dtype == tensor_dtype::i64)
      throw std::runtime_error(name + " has dtype I64; expected a float type");
    return to_torch(view, source_);
  }

  linear_layer linear(const std::string& prefix, int64_t in, int64_t out) const {
    return {get(prefix + ".weight", {out, in}), get(prefix + ".bias", {out})};
  }

  layer_norm_weights norm(const std::string& prefix, int64_t d) const {
    return {get(prefix + ".weight", {d}), get(prefix + ".bias", {d})};
  }

  attention_weights attention(const std::string& prefix, int64_t d) const {
    return {linear(prefix + ".q_proj", d, d), linear(prefix + ".k_proj", d, d),
            linear(prefix + ".v_proj", d, d),
            linear(prefix + ".out_proj", d, d)};
  }

  /// The token embedding, under whichever of its tied names the checkpoint
  /// kept.
  at::Tensor embedding(const model_config& c) const {
    for (auto name : {"model.shared.weight", "model.encoder.embed_tokens.weight",
                      "model.decoder.embed_tokens.weight", "lm_head.weight"})
      if (source_->find(name) != nullptr)
        return get(name, {c.vocab_size, c.d_model});
    return get("model.shared.weight", {c.vocab_size, c.d_model});
  }

private:
  std::shared_ptr<const checkpoint> source_;
};

void quantize(attention_weights& attention) {
  for (auto* layer : {&attention.q_proj, &attention.k_proj, &attention.v_proj,
                      &attention.out_proj})
    layer->quantize();
}

} // namespace

at::Tensor sinusoidal_positions(int64_t rows, int64_t dim, int64_t pad_id) {
  auto half = dim / 2;
  auto step = std::log(10000.0) / static_cast<double>(half - 1);
  auto frequencies = at::exp(at::arange(half, at::kFloat) * -step);
  auto angles = at::arange(rows, at::kFloat).unsqueeze(1)
                * frequencies.unsqueeze(0);
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
  weights->int8 = options.int8;
  tensor_reader read{source};
  auto d = c.d_model;
  weights->shared = read.embedding(c);
  auto total = static_cast<double>(c.encoder_layers + c.decoder_layers + 2);
  double done = 1;
  for (int64_t i = 0; i < c.encoder_layers; ++i) {
    auto p = "model.encoder.layers." + std::to_string(i);
    auto& layer = weights->encoder.emplace_back(encoder_layer_weights{
      read.attention(p + ".self_attn", d),
      read.norm(p + ".self_attn_layer_norm", d),
      read.linear(p + ".fc1", d, c.encoder_ffn),
      read.linear(p + ".fc2", c.encoder_ffn, d),
      read.norm(p + ".final_layer_norm", d)});
    if (options.int8) {
      quantize(layer.self_attn);
      layer.fc1.quantize();
      layer.fc2.quantize();
    }
    report(done++ / total, "encoder layer " + std::to_string(i + 1));
  }
  weights->encoder_norm = read.norm("model.encoder.layer_norm", d);
  for (int64_t i = 0; i < c.decoder_layers; ++i) {
    auto p = "model.decoder.layers." + std::to_string(i);
    auto& layer = weights->decoder.emplace_back(decoder_layer_weights{
      read.attention(p + ".self_attn", d),
      read.norm(p + ".self_attn_layer_norm", d),
      read.attention(p + ".encoder_attn", d),
      read.norm(p + ".encoder_attn_layer_norm", d),
      read.linear(p + ".fc1", d, c.decoder_ffn),
      read.linear(p + ".fc2", c.decoder_ffn, d),
      read.norm(p + ".final_layer_norm", d)});
    if (options.int8) {
      quantize(layer.self_attn);
      quantize(layer.cross_attn);
      layer.fc1.quantize();
      layer.fc2.quantize();
    }
    report(done++ / total, "decoder layer " + std::to_string(i + 1));
  }
  weights->decoder_norm = read.norm("model.decoder.layer_norm", d);
  // The LM head is tied to the embedding; int8 keeps a float copy for lookups.
  weights->lm_head = linear_layer{weights->shared, at::Tensor()};
  if (options.int8)
    weights->lm_head.quantize(/*keep_float=*/true);
  // Position p's row does not depend on the table's size, so a table longer
  // than max_position_embeddings changes nothing but lets sequences grow
  // past it, as Hugging Face's growing table does.
  weights->positions = sinusoidal_positions(
    std::max<int64_t>(c.max_positions, min_position_rows) + 4, d, c.pad_id);
  report(1.0, "loaded");
  return weights;
}

std::shared_ptr<const model_weights>
shared_weights(const std::string& dir, const load_options& options,
               const load_progress& progress) {
  // Load-time only: replicas starting together wait for one load.
  static std::mutex mtx;
  static std::map<std::pair<std::string, bool>, std::weak_ptr<const model_weights>>
    loaded;
  std::error_code err;
  auto key = std::make_pair(std::filesystem::weakly_canonical(dir, err).string(),
                            options.int8);
  std::lock_guard<std::mutex> guard{mtx};
  if (auto existing = loaded[key].lock())
    return existing;
  auto weights = load_weights(dir, options, progress);
  loaded[key] = weights;
  return weights;
}

} // namespace parley::nllb
