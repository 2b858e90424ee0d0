#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/checkpoint/checkpoint.hpp"
#include "models/checkpoint/half.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/subprocess.hpp"

using namespace parley;
namespace fs = std::filesystem;
using parley::test::temp_dir;

namespace {

const std::string fixture_dir = std::string{PARLEY_FIXTURES_DIR} + "/nllb-tiny";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

command_result make_checkpoint(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {std::string{PARLEY_BIN_DIR} + "/parley",
                                   "make-checkpoint"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

// The tiny model's tensors as the Hugging Face M2M100 layout names them,
// written out here independently of models/checkpoint/model_shapes.
std::map<std::string, std::vector<int64_t>> tiny_layout() {
  const int64_t d = 32, ffn = 64;
  std::map<std::string, std::vector<int64_t>> shapes;
  auto linear = [&](const std::string& p, int64_t out, int64_t in) {
    shapes[p + ".weight"] = {out, in};
    shapes[p + ".bias"] = {out};
  };
  auto norm = [&](const std::string& p) {
    shapes[p + ".weight"] = {d};
    shapes[p + ".bias"] = {d};
  };
  shapes["model.shared.weight"] = {1006, d};
  for (std::string side : {"encoder", "decoder"}) {
    for (int i = 0; i < 2; ++i) {
      auto p = "model." + side + ".layers." + std::to_string(i);
      std::vector<std::string> attentions = {"self_attn"};
      if (side == "decoder")
        attentions.push_back("encoder_attn");
      for (const auto& attn : attentions) {
        for (std::string proj : {"q_proj", "k_proj", "v_proj", "out_proj"})
          linear(p + "." + attn + "." + proj, d, d);
        norm(p + "." + attn + "_layer_norm");
      }
      linear(p + ".fc1", ffn, d);
      linear(p + ".fc2", d, ffn);
      norm(p + ".final_layer_norm");
    }
    norm("model." + side + ".layer_norm");
  }
  return shapes;
}

} // namespace

TEST_CASE("make-checkpoint writes a tiny checkpoint in the M2M100 layout",
          "[models]") {
  temp_dir dir;
  auto out = dir.path / "tiny";
  auto spm = fixture_dir + "/sentencepiece.bpe.model";
  auto result =
      make_checkpoint({"--shape", "tiny", "--out", out.string(), "--spm", spm});
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  CHECK_THAT(result.err, Catch::Contains("100%"));
  CHECK_THAT(result.err, Catch::Contains("75072 parameters"));

  auto ckpt = checkpoint::open(out.string());
  std::map<std::string, std::vector<int64_t>> stored;
  for (const auto& name : ckpt.names()) {
    stored[name] = ckpt.at(name).shape;
    CHECK(ckpt.at(name).dtype == tensor_dtype::f32);
  }
  CHECK(stored == tiny_layout());

  CHECK(nlohmann::json::parse(ckpt.config_json())
        == nlohmann::json::parse(read_file(fixture_dir + "/config.json")));
  auto special =
      nlohmann::json::parse(read_file(out / "special_tokens_map.json"));
  CHECK(special["additional_special_tokens"]
        == nlohmann::json{"eng_Latn", "fra_Latn", "spa_Latn", "deu_Latn"});
  CHECK(read_file(out / "sentencepiece.bpe.model") == read_file(spm));

  const auto& shared = ckpt.at("model.shared.weight", {1006, 32});
  const auto* values = static_cast<const float*>(shared.data);
  for (int j = 0; j < 32; ++j)
    CHECK(values[32 + j] == 0.0f);
  CHECK(values[0] != 0.0f);
  const auto& fc1 = ckpt.at("model.encoder.layers.0.fc1.weight");
  double sum_squares = 0;
  for (int64_t i = 0; i < fc1.numel(); ++i)
    sum_squares += static_cast<const float*>(fc1.data)[i]
                   * static_cast<const float*>(fc1.data)[i];
  // Linear weights have stddev 1/sqrt(in) = 1/sqrt(32).
  CHECK(sum_squares / fc1.numel() == Approx(1.0 / 32).epsilon(0.15));
}

TEST_CASE("make-checkpoint is reproducible from its seed", "[models]") {
  temp_dir dir;
  for (auto [name, seed] : {std::pair{"a", "7"}, {"b", "7"}, {"c", "8"}})
    REQUIRE(make_checkpoint({"--shape", "tiny", "--out",
                             (dir.path / name).string(), "--seed", seed})
                .exit_status
            == 0);
  auto a = read_file(dir.path / "a" / "model.safetensors");
  CHECK(a.size() > 300000);
  CHECK(a == read_file(dir.path / "b" / "model.safetensors"));
  CHECK(a != read_file(dir.path / "c" / "model.safetensors"));
}

TEST_CASE("make-checkpoint --dtype f16 stores the same values in half",
          "[models]") {
  temp_dir dir;
  REQUIRE(make_checkpoint({"--shape", "tiny", "--out",
                           (dir.path / "f32").string(), "--seed", "3"})
              .exit_status
          == 0);
  REQUIRE(
      make_checkpoint({"--shape", "tiny", "--out", (dir.path / "f16").string(),
                       "--seed", "3", "--dtype", "f16"})
          .exit_status
      == 0);
  auto full = checkpoint::open((dir.path / "f32").string());
  auto half = checkpoint::open((dir.path / "f16").string());
  CHECK(nlohmann::json::parse(half.config_json())["torch_dtype"] == "float16");
  for (const auto& name : full.names()) {
    const auto& f = full.at(name);
    const auto& h = half.at(name, f.shape);
    REQUIRE(h.dtype == tensor_dtype::f16);
    const auto* fv = static_cast<const float*>(f.data);
    const auto* hv = static_cast<const uint16_t*>(h.data);
    for (int64_t i = 0; i < f.numel(); ++i)
      if (hv[i] != float_to_half(fv[i]))
        FAIL(name << "[" << i << "] differs");
  }
}

TEST_CASE("make-checkpoint rejects an unknown shape", "[models]") {
  temp_dir dir;
  auto result = make_checkpoint(
      {"--shape", "nllb-7b", "--out", (dir.path / "x").string()});
  CHECK(result.exit_status == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown shape 'nllb-7b'"));
  CHECK_FALSE(fs::exists(dir.path / "x"));
}
