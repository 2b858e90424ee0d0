#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "models/checkpoint/model_shapes.hpp"
#include "models/checkpoint/nllb_codes.hpp"

using namespace parley;

namespace {

int64_t parameters(const nllb_shape& shape) {
  int64_t total = 0;
  for (const auto& spec : nllb_tensor_specs(shape))
    total += shape_numel(spec.shape);
  return total;
}

} // namespace

TEST_CASE("the NLLB language codes are the 202 in token-id order", "[models]") {
  const auto& codes = nllb_language_codes();
  REQUIRE(codes.size() == 202);
  CHECK(std::set<std::string>(codes.begin(), codes.end()).size() == 202);
  // Token id = 256000 sentencepiece pieces + 1 + index: eng_Latn is 256047.
  CHECK(codes[46] == "eng_Latn");
  CHECK(codes.front() == "ace_Arab");
  CHECK(codes.back() == "zul_Latn");
}

TEST_CASE("the NLLB shapes have the real models' sizes", "[models]") {
  auto small = find_nllb_shape("nllb-600m");
  auto large = find_nllb_shape("nllb-1.3b");
  REQUIRE(small);
  REQUIRE(large);
  CHECK_FALSE(find_nllb_shape("nllb-3.3b"));
  CHECK(parameters(*small) == 615073792);
  CHECK(nllb_tensor_specs(*small).size() == 509);
  CHECK(parameters(*large) == 1370638336);
  auto config = nlohmann::json::parse(nllb_config_json(*large, "float16"));
  CHECK(config["decoder_ffn_dim"] == 8192);
  CHECK(config["decoder_layers"] == 24);
  CHECK(config["torch_dtype"] == "float16");
  auto special = nlohmann::json::parse(nllb_special_tokens_map_json(*small));
  CHECK(special["additional_special_tokens"].size() == 202);
}
