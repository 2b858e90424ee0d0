#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/checkpoint/checkpoint.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley;
namespace fs = std::filesystem;
using parley::test::temp_dir;

namespace {

const std::string fixture_dir = std::string{PARLEY_FIXTURES_DIR} + "/nllb-tiny";

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string open_error(const fs::path& dir) {
  try {
    checkpoint::open(dir.string());
  } catch (const checkpoint_error& e) {
    return e.what();
  }
  FAIL("opening " << dir << " did not throw checkpoint_error");
  return {};
}

// Two shards: "a.*" tensors in the first, "b.*" in the second, and an index.
struct sharded_checkpoint {
  temp_dir dir;
  std::vector<float> a = {1, 2, 3, 4};
  std::vector<float> b = {5, 6};

  sharded_checkpoint() {
    write_file(dir.path / "config.json", R"({"d_model": 2})");
    write_safetensors((dir.path / "model-00001-of-00002.safetensors").string(),
                      {{"a.weight", tensor_dtype::f32, {2, 2}, a.data(), 16}});
    write_safetensors((dir.path / "model-00002-of-00002.safetensors").string(),
                      {{"b.bias", tensor_dtype::f32, {2}, b.data(), 8}});
  }

  void write_index(const std::string& shard_of_b) {
    nlohmann::json index = {{"metadata", {{"total_size", 24}}},
                            {"weight_map",
                             {{"a.weight", "model-00001-of-00002.safetensors"},
                              {"b.bias", shard_of_b}}}};
    write_file(dir.path / "model.safetensors.index.json", index.dump());
  }
};

} // namespace

TEST_CASE("a checkpoint opens the fixture directory and its config",
          "[models]") {
  auto ckpt = checkpoint::open(fixture_dir);
  CHECK(ckpt.dir() == fixture_dir);
  auto config = nlohmann::json::parse(ckpt.config_json());
  CHECK(config["d_model"] == 32);
  const auto& shared = ckpt.at("model.shared.weight", {1006, 32});
  CHECK(shared.dtype == tensor_dtype::f32);
  CHECK(ckpt.find("model.decoder.layers.1.fc2.weight") != nullptr);
  CHECK(ckpt.find("lm_head.weight") == nullptr);
  auto names = ckpt.names();
  CHECK(names.size() == 89);
  CHECK(std::is_sorted(names.begin(), names.end()));

  auto copy = ckpt;
  CHECK(&copy.at("model.shared.weight") == &shared);
}

TEST_CASE("a checkpoint names the tensor and both shapes on a mismatch",
          "[models]") {
  auto ckpt = checkpoint::open(fixture_dir);
  CHECK_THROWS_WITH(ckpt.at("model.shared.weight", {1006, 64}),
                    fixture_dir
                        + ": tensor model.shared.weight has shape "
                          "[1006, 32], expected [1006, 64]");
  CHECK_THROWS_WITH(ckpt.at("lm_head.weight"),
                    fixture_dir + ": missing tensor lm_head.weight");
  CHECK_THROWS_AS(ckpt.at("nothing", {1}), checkpoint_error);
}

TEST_CASE("a sharded checkpoint finds tensors in every shard", "[models]") {
  sharded_checkpoint sharded;
  sharded.write_index("model-00002-of-00002.safetensors");
  auto ckpt = checkpoint::open(sharded.dir.path.string());
  CHECK(ckpt.names() == std::vector<std::string>{"a.weight", "b.bias"});
  CHECK(static_cast<const float*>(ckpt.at("a.weight", {2, 2}).data)[3] == 4);
  CHECK(static_cast<const float*>(ckpt.at("b.bias", {2}).data)[1] == 6);
  CHECK(nlohmann::json::parse(ckpt.config_json())["d_model"] == 2);
}

TEST_CASE("a sharded checkpoint fails clearly on a bad index", "[models]") {
  sharded_checkpoint sharded;
  sharded.write_index("model-00003-of-00002.safetensors");
  CHECK_THAT(open_error(sharded.dir.path),
             Catch::Contains("index names shard model-00003-of-00002."
                             "safetensors, which is missing"));

  sharded.write_index("model-00001-of-00002.safetensors");
  CHECK_THAT(open_error(sharded.dir.path),
             Catch::Contains("index places tensor b.bias in "
                             "model-00001-of-00002.safetensors, which does "
                             "not hold it"));

  write_file(sharded.dir.path / "model.safetensors.index.json", "{oops");
  CHECK_THAT(open_error(sharded.dir.path), Catch::Contains("not valid JSON"));
}

TEST_CASE("a checkpoint directory without its files fails clearly",
          "[models]") {
  temp_dir dir;
  CHECK_THAT(open_error(dir.path / "absent"),
             Catch::Contains("not a checkpoint directory"));
  CHECK_THAT(open_error(dir.path), Catch::Contains("missing config.json"));
  write_file(dir.path / "config.json", "{}");
  CHECK_THAT(open_error(dir.path),
             Catch::Contains("no model.safetensors and no "
                             "model.safetensors.index.json"));
  write_file(dir.path / "model.safetensors", "garbage");
  CHECK_THAT(open_error(dir.path),
             Catch::Contains("model.safetensors: file is 7 bytes, shorter"));
}
