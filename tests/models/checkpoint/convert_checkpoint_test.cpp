#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "models/checkpoint/half.hpp"
#include "models/checkpoint/safetensors.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/subprocess.hpp"

using namespace parley;
namespace fs = std::filesystem;
using parley::test::temp_dir;

namespace {

const std::string python = "/usr/bin/python3";

std::string converter() {
  auto root = fs::path{PARLEY_BIN_DIR}.parent_path().parent_path();
  return (root / "tools" / "convert_checkpoint.py").string();
}

// Saves a small state dict as DIR/src (pytorch_model.bin, or two shards and
// an index when argv[2] is "sharded"), with lm_head.weight and
// model.encoder.embed_tokens.weight tied to model.shared.weight, and dumps
// every tensor's dtype, shape and values to DIR/expected.json.
constexpr const char* make_state_dict = R"(
import json, os, sys, torch
out, layout = sys.argv[1], sys.argv[2]
src = os.path.join(out, "src")
os.makedirs(src)
g = torch.Generator().manual_seed(3)
shared = torch.randn(12, 4, generator=g)
first = {
    "model.shared.weight": shared,
    "lm_head.weight": shared,
    "model.encoder.embed_tokens.weight": shared,
    "model.encoder.layers.0.fc1.weight": torch.randn(8, 4, generator=g),
}
second = {
    "model.encoder.layers.0.fc1.bias": torch.randn(8, generator=g).half(),
    "model.decoder.layer_norm.weight": torch.randn(4, generator=g).half(),
}
if layout == "sharded":
    torch.save(first, os.path.join(src, "pytorch_model-00001-of-00002.bin"))
    torch.save(second, os.path.join(src, "pytorch_model-00002-of-00002.bin"))
    weight_map = {k: "pytorch_model-00001-of-00002.bin" for k in first}
    weight_map.update({k: "pytorch_model-00002-of-00002.bin" for k in second})
    with open(os.path.join(src, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": weight_map}, f)
else:
    torch.save({**first, **second}, os.path.join(src, "pytorch_model.bin"))
with open(os.path.join(src, "config.json"), "w") as f:
    f.write('{"d_model": 4}')
with open(os.path.join(src, "sentencepiece.bpe.model"), "w") as f:
    f.write("spm")
expected = {k: {"dtype": str(v.dtype), "shape": list(v.shape),
                "values": v.float().flatten().tolist()}
            for k, v in {**first, **second}.items()}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)
)";

float element(const tensor_view& view, int64_t i) {
  if (view.dtype == tensor_dtype::f16)
    return half_to_float(static_cast<const uint16_t*>(view.data)[i]);
  return static_cast<const float*>(view.data)[i];
}

// Converts DIR/src into DIR/out and checks every value against Python's.
void convert_and_check(const std::string& layout) {
  temp_dir dir;
  auto made =
      run_command({python, "-c", make_state_dict, dir.path.string(), layout});
  INFO(made.err);
  REQUIRE(made.exit_status == 0);
  auto out = dir.path / "out";
  auto converted = run_command(
      {python, converter(), (dir.path / "src").string(), out.string()});
  INFO(converted.out << converted.err);
  REQUIRE(converted.exit_status == 0);
  CHECK_THAT(converted.out,
             Catch::Contains("lm_head.weight: tied to model.shared.weight"));
  CHECK(fs::exists(out / "config.json"));
  CHECK(fs::exists(out / "sentencepiece.bpe.model"));

  std::ifstream in(dir.path / "expected.json");
  auto expected = nlohmann::json::parse(in);
  safetensors_file file{(out / "model.safetensors").string()};
  CHECK(file.metadata().at("format") == "pt");
  std::set<std::string> names;
  for (const auto& t : file.tensors())
    names.insert(t.name);
  CHECK(names
        == std::set<std::string>{"model.shared.weight",
                                 "model.encoder.layers.0.fc1.weight",
                                 "model.encoder.layers.0.fc1.bias",
                                 "model.decoder.layer_norm.weight"});
  for (const auto& name : names) {
    INFO(name);
    const auto& want = expected.at(name);
    const auto& view = *file.find(name);
    CHECK(view.dtype
          == (want["dtype"] == "torch.float16" ? tensor_dtype::f16
                                               : tensor_dtype::f32));
    CHECK(view.shape == want["shape"].get<std::vector<int64_t>>());
    const auto& values = want["values"];
    REQUIRE(view.numel() == static_cast<int64_t>(values.size()));
    for (int64_t i = 0; i < view.numel(); ++i)
      CHECK(element(view, i) == values[i].get<float>());
  }
}

} // namespace

TEST_CASE("the converter writes pytorch_model.bin as safetensors, tied "
          "weights once",
          "[models]") {
  convert_and_check("single");
}

TEST_CASE("the converter merges a sharded pytorch_model.bin into one file",
          "[models]") {
  convert_and_check("sharded");
}
