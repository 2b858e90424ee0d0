// tools/convert_whisper.py: OpenAI Whisper checkpoints to the Hugging Face
// layout the loader reads.

#include "tests/support/torch_catch.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "models/checkpoint/checkpoint.hpp"
#include "models/whisper/transcriber.hpp"
#include "models/whisper/weights.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/subprocess.hpp"

using namespace parley;
namespace fs = std::filesystem;
using parley::test::temp_dir;

namespace {

const std::string python = "/usr/bin/python3";

std::string converter() {
  auto root = fs::path{PARLEY_BIN_DIR}.parent_path().parent_path();
  return (root / "tools" / "convert_whisper.py").string();
}

// Saves DIR/tiny.pt in the layout of the whisper package (d 8, one layer
// each side, 2 languages), DIR/tiny.tiktoken with the 256 single bytes, and
// the values of some tensors under their OpenAI names in DIR/expected.json.
constexpr const char* make_checkpoint = R"(
import base64, json, os, sys, torch
out = sys.argv[1]
g = torch.Generator().manual_seed(5)
d, n_mels, audio_ctx, text_ctx, text = 8, 80, 8, 16, 256
n_vocab = text + 2 + 2 + 6 + 1501
dims = dict(n_mels=n_mels, n_vocab=n_vocab, n_audio_ctx=audio_ctx,
            n_audio_state=d, n_audio_head=2, n_audio_layer=1,
            n_text_ctx=text_ctx, n_text_state=d, n_text_head=2, n_text_layer=1)
def r(*shape):
    return torch.randn(*shape, generator=g) * 0.3
state = {
    "encoder.conv1.weight": r(d, n_mels, 3), "encoder.conv1.bias": r(d),
    "encoder.conv2.weight": r(d, d, 3), "encoder.conv2.bias": r(d),
    "encoder.positional_embedding": r(audio_ctx, d),
    "encoder.ln_post.weight": r(d), "encoder.ln_post.bias": r(d),
    "decoder.token_embedding.weight": r(n_vocab, d).half(),
    "decoder.positional_embedding": r(text_ctx, d),
    "decoder.ln.weight": r(d), "decoder.ln.bias": r(d),
}
def block(prefix, cross):
    for attn in ["attn"] + (["cross_attn"] if cross else []):
        for proj in ["query", "value", "out"]:
            state[f"{prefix}.{attn}.{proj}.weight"] = r(d, d)
            state[f"{prefix}.{attn}.{proj}.bias"] = r(d)
        state[f"{prefix}.{attn}.key.weight"] = r(d, d)
        state[f"{prefix}.{attn}_ln.weight"] = r(d)
        state[f"{prefix}.{attn}_ln.bias"] = r(d)
    state[f"{prefix}.mlp.0.weight"] = r(4 * d, d)
    state[f"{prefix}.mlp.0.bias"] = r(4 * d)
    state[f"{prefix}.mlp.2.weight"] = r(d, 4 * d)
    state[f"{prefix}.mlp.2.bias"] = r(d)
    state[f"{prefix}.mlp_ln.weight"] = r(d)
    state[f"{prefix}.mlp_ln.bias"] = r(d)
block("encoder.blocks.0", False)
block("decoder.blocks.0", True)
torch.save({"dims": dims, "model_state_dict": state},
           os.path.join(out, "tiny.pt"))
with open(os.path.join(out, "tiny.tiktoken"), "w") as f:
    for b in range(256):
        f.write(base64.b64encode(bytes([b])).decode() + f" {b}\n")
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump({k: {"shape": list(v.shape), "values": v.float().flatten().tolist()}
               for k, v in state.items()}, f)
)";

command_result convert(const temp_dir& dir, std::vector<std::string> extra) {
  std::vector<std::string> argv = {python, converter(),
                                   (dir.path / "tiny.pt").string(),
                                   (dir.path / "out").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_command(argv);
}

} // namespace

TEST_CASE("the whisper converter renames an OpenAI checkpoint into the Hugging "
          "Face layout the loader reads",
          "[models]") {
  temp_dir dir;
  auto made = run_command({python, "-c", make_checkpoint, dir.path.string()});
  INFO(made.err);
  REQUIRE(made.exit_status == 0);
  auto converted =
      convert(dir, {"--tiktoken", (dir.path / "tiny.tiktoken").string()});
  INFO(converted.out << converted.err);
  REQUIRE(converted.exit_status == 0);
  auto out = dir.path / "out";

  // every OpenAI name has its Hugging Face name, values unchanged
  const std::map<std::string, std::string> renamed = {
      {"encoder.conv1.weight", "model.encoder.conv1.weight"},
      {"encoder.conv2.bias", "model.encoder.conv2.bias"},
      {"encoder.positional_embedding", "model.encoder.embed_positions.weight"},
      {"encoder.blocks.0.attn.query.weight",
       "model.encoder.layers.0.self_attn.q_proj.weight"},
      {"encoder.blocks.0.attn.key.weight",
       "model.encoder.layers.0.self_attn.k_proj.weight"},
      {"encoder.blocks.0.attn.value.bias",
       "model.encoder.layers.0.self_attn.v_proj.bias"},
      {"encoder.blocks.0.attn.out.weight",
       "model.encoder.layers.0.self_attn.out_proj.weight"},
      {"encoder.blocks.0.attn_ln.weight",
       "model.encoder.layers.0.self_attn_layer_norm.weight"},
      {"encoder.blocks.0.mlp.0.weight", "model.encoder.layers.0.fc1.weight"},
      {"encoder.blocks.0.mlp.2.bias", "model.encoder.layers.0.fc2.bias"},
      {"encoder.blocks.0.mlp_ln.bias",
       "model.encoder.layers.0.final_layer_norm.bias"},
      {"encoder.ln_post.weight", "model.encoder.layer_norm.weight"},
      {"decoder.token_embedding.weight", "model.decoder.embed_tokens.weight"},
      {"decoder.positional_embedding", "model.decoder.embed_positions.weight"},
      {"decoder.blocks.0.cross_attn.query.bias",
       "model.decoder.layers.0.encoder_attn.q_proj.bias"},
      {"decoder.blocks.0.cross_attn.key.weight",
       "model.decoder.layers.0.encoder_attn.k_proj.weight"},
      {"decoder.blocks.0.cross_attn_ln.bias",
       "model.decoder.layers.0.encoder_attn_layer_norm.bias"},
      {"decoder.blocks.0.attn.out.bias",
       "model.decoder.layers.0.self_attn.out_proj.bias"},
      {"decoder.ln.bias", "model.decoder.layer_norm.bias"},
  };
  std::ifstream in(dir.path / "expected.json");
  auto expected = nlohmann::json::parse(in);
  auto source = checkpoint::open(out.string());
  CHECK(source.names().size() == expected.size());
  CHECK(source.find("model.encoder.layers.0.self_attn.k_proj.bias") == nullptr);
  CHECK(source.at("model.decoder.embed_tokens.weight").dtype
        == tensor_dtype::f16);

  c10::InferenceMode inference;
  auto weights = whisper::load_weights(out.string(), whisper::load_options{});
  CHECK(weights->config.vocab_size == 1767);
  CHECK(weights->config.encoder_ffn == 32);
  CHECK(weights->config.max_target_positions == 16);
  for (const auto& [original, name] : renamed) {
    INFO(original << " -> " << name);
    const auto& want = expected.at(original);
    const auto& view = source.at(name);
    CHECK(view.shape == want["shape"].get<std::vector<int64_t>>());
    auto values = want["values"].get<std::vector<float>>();
    if (view.dtype == tensor_dtype::f32) {
      const auto* data = static_cast<const float*>(view.data);
      CHECK(std::vector<float>(data, data + view.numel()) == values);
    }
  }
  // the loaded model sees the same numbers (the f16 embedding widened)
  auto key = expected.at("decoder.blocks.0.cross_attn.key.weight")["values"]
                 .get<std::vector<float>>();
  auto loaded = weights->decoder[0].cross_attn.k_proj.weight().contiguous();
  CHECK(std::vector<float>(loaded.data_ptr<float>(),
                           loaded.data_ptr<float>() + loaded.numel())
        == key);
  auto embedding = expected.at("decoder.token_embedding.weight")["values"]
                       .get<std::vector<float>>();
  CHECK(weights->embed_tokens[300][5].item<float>() == embedding[300 * 8 + 5]);

  // the vocabulary from the tiktoken file: 256 bytes, then the specials
  auto config = nlohmann::json::parse(source.config_json());
  CHECK(config["eos_token_id"] == 256);
  CHECK(config["decoder_start_token_id"] == 257);
  whisper::transcriber transcriber{out.string(),
                                   whisper::transcriber_options{}};
  CHECK(transcriber.languages() == std::vector<std::string>{"en", "zh"});
  CHECK(transcriber.window_seconds() == Approx(0.16));
  audio_window window;
  window.samples.assign(2560, 0.05f);
  window.language = "zh";
  CHECK(transcriber.transcribe(window).language == "zh");
}

TEST_CASE("the whisper converter refuses a vocabulary it cannot place",
          "[models]") {
  temp_dir dir;
  auto made = run_command({python, "-c", make_checkpoint, dir.path.string()});
  REQUIRE(made.exit_status == 0);
  auto converted = convert(dir, {});
  CHECK(converted.exit_status != 0);
  CHECK_THAT(converted.err, Catch::Contains("--tiktoken"));
  CHECK_FALSE(fs::exists(dir.path / "out" / "model.safetensors"));
}
