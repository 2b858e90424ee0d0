// `parley make-checkpoint --shape whisper-tiny`: a random checkpoint with the
// real whisper-tiny layout that the loader and the transcriber take.

#include "tests/support/torch_catch.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "models/checkpoint/checkpoint.hpp"
#include "models/checkpoint/model_shapes.hpp"
#include "models/whisper/transcriber.hpp"
#include "models/whisper/weights.hpp"
#include "tools/subprocess.hpp"

using namespace parley;
namespace fs = std::filesystem;

namespace {

/// whisper-tiny as `parley make-checkpoint` writes it (f16), once per test
/// process.
const std::string& tiny_dir() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/parley_whisper_make_XXXXXX";
    std::string path = ::mkdtemp(pattern);
    auto result = run_command({std::string{PARLEY_BIN_DIR} + "/parley",
                               "make-checkpoint", "--shape", "whisper-tiny",
                               "--dtype", "f16", "--out", path});
    if (result.exit_status != 0)
      throw std::runtime_error("make-checkpoint failed: " + result.err);
    return path;
  }();
  return dir;
}

// whisper-tiny's tensors as Hugging Face WhisperForConditionalGeneration
// names them, written out here independently of model_shapes.
std::map<std::string, std::vector<int64_t>> tiny_layout() {
  const int64_t d = 384, ffn = 1536, vocab = 51865;
  std::map<std::string, std::vector<int64_t>> shapes;
  auto linear = [&](const std::string& p, int64_t out, int64_t in, bool bias) {
    shapes[p + ".weight"] = {out, in};
    if (bias)
      shapes[p + ".bias"] = {out};
  };
  auto norm = [&](const std::string& p) {
    shapes[p + ".weight"] = {d};
    shapes[p + ".bias"] = {d};
  };
  auto attention = [&](const std::string& p) {
    linear(p + ".q_proj", d, d, true);
    linear(p + ".k_proj", d, d, false);
    linear(p + ".v_proj", d, d, true);
    linear(p + ".out_proj", d, d, true);
  };
  shapes["model.encoder.conv1.weight"] = {d, 80, 3};
  shapes["model.encoder.conv1.bias"] = {d};
  shapes["model.encoder.conv2.weight"] = {d, d, 3};
  shapes["model.encoder.conv2.bias"] = {d};
  shapes["model.encoder.embed_positions.weight"] = {1500, d};
  shapes["model.decoder.embed_tokens.weight"] = {vocab, d};
  shapes["model.decoder.embed_positions.weight"] = {448, d};
  for (std::string side : {"encoder", "decoder"}) {
    for (int i = 0; i < 4; ++i) {
      auto p = "model." + side + ".layers." + std::to_string(i);
      attention(p + ".self_attn");
      norm(p + ".self_attn_layer_norm");
      if (side == "decoder") {
        attention(p + ".encoder_attn");
        norm(p + ".encoder_attn_layer_norm");
      }
      linear(p + ".fc1", ffn, d, true);
      linear(p + ".fc2", d, ffn, true);
      norm(p + ".final_layer_norm");
    }
    norm("model." + side + ".layer_norm");
  }
  return shapes;
}

} // namespace

TEST_CASE("make-checkpoint writes whisper-tiny with the Hugging Face names "
          "and shapes",
          "[models]") {
  auto source = checkpoint::open(tiny_dir());
  auto layout = tiny_layout();
  std::map<std::string, std::vector<int64_t>> written;
  for (const auto& name : source.names()) {
    written[name] = source.at(name).shape;
    CHECK(source.at(name).dtype == tensor_dtype::f16);
  }
  CHECK(written == layout);
  auto config = nlohmann::json::parse(source.config_json());
  CHECK(config["model_type"] == "whisper");
  CHECK(config["d_model"] == 384);
  CHECK(config["max_source_positions"] == 1500);
  CHECK(config["max_target_positions"] == 448);
  CHECK(config["decoder_start_token_id"] == 50258);
  CHECK(config["eos_token_id"] == 50257);
  CHECK(config["torch_dtype"] == "float16");
}

TEST_CASE("whisper-base has the real model's size", "[models]") {
  auto base = find_whisper_shape("whisper-base");
  REQUIRE(base);
  int64_t parameters = 0;
  for (const auto& spec : whisper_tensor_specs(*base))
    parameters += shape_numel(spec.shape);
  // Counted by hand from the layout (the output projection tied):
  // encoder 20,590,592 and decoder 52,003,328.
  CHECK(parameters == 72593920);
  CHECK(whisper_language_codes().size() == 99);
}

TEST_CASE("the loader reads the whisper-tiny checkpoint make-checkpoint "
          "wrote",
          "[models]") {
  c10::InferenceMode inference;
  auto weights = whisper::load_weights(tiny_dir(), whisper::load_options{});
  const auto& c = weights->config;
  CHECK(c.d_model == 384);
  CHECK(c.encoder_layers == 4);
  CHECK(c.decoder_layers == 4);
  CHECK(c.encoder_heads == 6);
  CHECK(c.vocab_size == 51865);
  CHECK(c.input_frames() == 3000);
  CHECK(weights->encoder.size() == 4);
  CHECK(weights->decoder.size() == 4);
  CHECK(weights->embed_tokens.sizes() == at::IntArrayRef{51865, 384});
  CHECK(weights->embed_tokens.scalar_type() == at::kFloat);
  CHECK(weights->conv1.weight.sizes() == at::IntArrayRef{384, 80, 3});
  CHECK(weights->decoder[0].cross_attn.k_proj.weight().sizes()
        == at::IntArrayRef{384, 384});
}

TEST_CASE("the transcriber runs whisper-tiny with timestamps on a 30 s "
          "window",
          "[models]") {
  whisper::transcriber_options options;
  options.max_new_tokens = 24;
  whisper::transcriber transcriber{tiny_dir(), options};
  CHECK(transcriber.window_seconds() == Approx(30.0));
  auto languages = transcriber.languages();
  REQUIRE(languages.size() == 99);
  CHECK(languages.front() == "en");
  CHECK(languages.back() == "su");
  audio_window window;
  for (int i = 0; i < 16000 * 3; ++i)
    window.samples.push_back(0.3f * std::sin(i * 2 * M_PI * 440 / 16000.0));
  window.offset_ms = 60000;
  window.timestamps = true;
  auto result = transcriber.transcribe(window);
  CHECK(std::find(languages.begin(), languages.end(), result.language)
        != languages.end());
  CHECK(result.duration_ms == 3000);
  // Whatever random weights say, the timestamp rules hold: segments in
  // order, inside the audio, the first starting within its first second.
  uint32_t previous_end = window.offset_ms;
  for (size_t i = 0; i < result.segments.size(); ++i) {
    const auto& segment = result.segments[i];
    INFO(i << ": " << segment.start_ms << "-" << segment.end_ms << " "
           << segment.text);
    CHECK(segment.start_ms >= previous_end);
    CHECK(segment.end_ms >= segment.start_ms);
    CHECK(segment.end_ms <= window.offset_ms + result.duration_ms);
    if (i == 0)
      CHECK(segment.start_ms <= window.offset_ms + 1000);
    previous_end = segment.end_ms;
  }
}
