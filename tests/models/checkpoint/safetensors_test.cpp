#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/checkpoint/half.hpp"
#include "models/checkpoint/model_shapes.hpp"
#include "models/checkpoint/safetensors.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley;
namespace fs = std::filesystem;
using parley::test::temp_dir;

namespace {

const std::string fixture_dir = std::string{PARLEY_FIXTURES_DIR} + "/nllb-tiny";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// A safetensors file from a literal header, padded to 8 bytes, and raw data.
std::string make_file(const std::string& header, const std::string& data) {
  auto padded = header + std::string((8 - header.size() % 8) % 8, ' ');
  std::string bytes(8, '\0');
  uint64_t n = padded.size();
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>(n >> (8 * i));
  return bytes + padded + data;
}

// The message of the checkpoint_error that opening `path` throws.
std::string open_error(const fs::path& path) {
  try {
    safetensors_file file{path.string()};
  } catch (const checkpoint_error& e) {
    return e.what();
  }
  FAIL("opening " << path << " did not throw checkpoint_error");
  return {};
}

template <class T>
tensor_view view_of(const std::string& name, tensor_dtype dtype,
                    std::vector<int64_t> shape, const std::vector<T>& values) {
  return {name, dtype, std::move(shape), values.data(),
          values.size() * sizeof(T)};
}

} // namespace

TEST_CASE("the reader maps the tiny NLLB fixture with its padding row zero",
          "[models]") {
  safetensors_file file{fixture_dir + "/model.safetensors"};
  auto* shared = file.find("model.shared.weight");
  REQUIRE(shared != nullptr);
  CHECK(shared->dtype == tensor_dtype::f32);
  CHECK(shared->shape == std::vector<int64_t>{1006, 32});
  CHECK(shared->numel() == 1006 * 32);
  CHECK(shared->bytes == 1006 * 32 * sizeof(float));
  const auto* rows = static_cast<const float*>(shared->data);
  for (int j = 0; j < 32; ++j)
    CHECK(rows[32 + j] == 0.0f);
  CHECK(rows[0] != 0.0f);
  CHECK(file.find("lm_head.weight") == nullptr);
}

TEST_CASE("the fixture's tensor names are the Hugging Face M2M100 layout",
          "[models]") {
  safetensors_file file{fixture_dir + "/model.safetensors"};
  std::map<std::string, std::vector<int64_t>> stored;
  for (const auto& t : file.tensors())
    stored[t.name] = t.shape;
  std::map<std::string, std::vector<int64_t>> expected;
  for (const auto& spec : nllb_tensor_specs(*find_nllb_shape("tiny")))
    expected[spec.name] = spec.shape;
  CHECK(stored == expected);
}

TEST_CASE("expected.safetensors holds the input ids of expected.json",
          "[models]") {
  safetensors_file file{fixture_dir + "/expected.safetensors"};
  auto expected =
      nlohmann::json::parse(read_file(fixture_dir + "/expected.json"));
  auto* ids = file.find("input_ids");
  REQUIRE(ids != nullptr);
  CHECK(ids->dtype == tensor_dtype::i64);
  REQUIRE(ids->shape == std::vector<int64_t>{2, 11});
  const auto* values = static_cast<const int64_t*>(ids->data);
  REQUIRE(expected["input_ids"].size() == 2);
  for (size_t row = 0; row < 2; ++row)
    for (size_t col = 0; col < 11; ++col)
      CHECK(values[row * 11 + col]
            == expected["input_ids"][row][col].get<int64_t>());
}

TEST_CASE("written tensors and metadata read back byte for byte", "[models]") {
  temp_dir dir;
  auto path = (dir.path / "round.safetensors").string();
  std::vector<float> f32 = {1.5f, -2.25f, 3.0e-7f, 1e30f, -0.0f, 42.0f};
  std::vector<uint16_t> f16 = {float_to_half(1.0f), float_to_half(-0.5f),
                               float_to_half(65504.0f), 0x0001};
  std::vector<uint16_t> bf16 = {float_to_bfloat16(3.140625f),
                                float_to_bfloat16(-1e20f), 0x7f80};
  std::vector<int64_t> i64 = {0, -1, INT64_MAX, INT64_MIN, 256047};
  std::vector<float> scalar = {7.0f};
  std::vector<float> empty;
  std::vector<tensor_view> tensors = {
      view_of("weights.f16", tensor_dtype::f16, {2, 2}, f16),
      view_of("weights.f32", tensor_dtype::f32, {2, 3}, f32),
      view_of("weights.bf16", tensor_dtype::bf16, {3}, bf16),
      view_of("ids", tensor_dtype::i64, {5}, i64),
      view_of("scalar", tensor_dtype::f32, {}, scalar),
      view_of("empty", tensor_dtype::f32, {0, 4}, empty),
  };
  std::map<std::string, std::string> metadata = {{"format", "pt"},
                                                 {"note", "round trip"}};
  write_safetensors(path, tensors, metadata);

  auto bytes = read_file(path);
  CHECK(static_cast<unsigned char>(bytes[0]) % 8 == 0);

  safetensors_file file{path};
  CHECK(file.path() == path);
  CHECK(file.metadata() == metadata);
  REQUIRE(file.tensors().size() == tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& written = tensors[i];
    INFO(written.name);
    CHECK(file.tensors()[i].name == written.name);
    auto* read = file.find(written.name);
    REQUIRE(read != nullptr);
    CHECK(read->dtype == written.dtype);
    CHECK(read->shape == written.shape);
    REQUIRE(read->bytes == written.bytes);
    CHECK(std::memcmp(read->data, written.data, written.bytes) == 0);
  }
  CHECK(reinterpret_cast<uintptr_t>(file.tensors()[0].data) % 8 == 0);
}

TEST_CASE("a moved file keeps its tensor views valid", "[models]") {
  temp_dir dir;
  auto path = (dir.path / "moved.safetensors").string();
  std::vector<float> values = {1.0f, 2.0f, 3.0f};
  write_safetensors(path, {view_of("x", tensor_dtype::f32, {3}, values)});
  safetensors_file first{path};
  const tensor_view* before = first.find("x");
  safetensors_file second{std::move(first)};
  safetensors_file third{path};
  third = std::move(second);
  REQUIRE(third.find("x") == before);
  CHECK(static_cast<const float*>(third.find("x")->data)[2] == 3.0f);
}

TEST_CASE("the streaming writer takes tensors in pieces and in order only",
          "[models]") {
  temp_dir dir;
  auto path = (dir.path / "stream.safetensors").string();
  std::vector<float> a = {1, 2, 3, 4, 5, 6};
  std::vector<int64_t> b = {7, 8};
  std::vector<tensor_spec> specs = {{"a", tensor_dtype::f32, {2, 3}},
                                    {"b", tensor_dtype::i64, {2}}};
  {
    safetensors_writer writer(path, specs);
    writer.write("a", a.data(), 2 * sizeof(float));
    writer.write("a", a.data() + 2, 4 * sizeof(float));
    writer.write("b", b.data(), b.size() * sizeof(int64_t));
    writer.finish();
  }
  safetensors_file file{path};
  CHECK(static_cast<const float*>(file.find("a")->data)[5] == 6.0f);
  CHECK(static_cast<const int64_t*>(file.find("b")->data)[1] == 8);

  auto partial = (dir.path / "partial.safetensors").string();
  {
    safetensors_writer writer(partial, specs);
    CHECK_THROWS_WITH(writer.write("b", b.data(), 16),
                      Catch::Contains("b written when a is due"));
  }
  CHECK_FALSE(fs::exists(partial));
  {
    safetensors_writer writer(partial, specs);
    writer.write("a", a.data(), a.size() * sizeof(float));
    CHECK_THROWS_WITH(writer.finish(), Catch::Contains("before tensor b"));
  }
  CHECK_FALSE(fs::exists(partial));
  {
    safetensors_writer writer(partial, specs);
    CHECK_THROWS_WITH(writer.write("a", a.data(), 100),
                      Catch::Contains("more than its 24"));
  }
}

TEST_CASE("broken safetensors files fail with the file and the problem",
          "[models]") {
  temp_dir dir;
  auto check = [&](const std::string& name, const std::string& bytes,
                   const std::string& problem) {
    auto path = dir.path / name;
    write_file(path, bytes);
    auto message = open_error(path);
    INFO(message);
    CHECK_THAT(message, Catch::Contains(path.string()));
    CHECK_THAT(message, Catch::Contains(problem));
  };
  const std::string ok_header =
      R"({"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
  const std::string data(16, '\x01');
  auto good = make_file(ok_header, data);
  auto good_path = dir.path / "good.safetensors";
  write_file(good_path, good);
  REQUIRE_NOTHROW(safetensors_file{good_path.string()});

  check("short", "abc", "shorter than the 8-byte header length");
  check("cut_in_data", good.substr(0, good.size() - 5), "truncated");
  check("cut_in_header", good.substr(0, 20), "larger than the file");
  check("absurd", std::string("\xff\xff\xff\xff\xff\x00\x00\x00", 8) + data,
        "absurd");
  check("not_json", make_file("{\"x\": [1, 2", data), "not valid JSON");
  check("not_object", make_file("[1, 2]", data), "not a JSON object");
  check("dtype",
        make_file(R"({"x":{"dtype":"F8","shape":[2,2],"data_offsets":[0,16]}})",
                  data),
        "unknown dtype \"F8\"");
  check(
      "past_end",
      make_file(R"({"x":{"dtype":"F32","shape":[2,4],"data_offsets":[0,32]}})",
                data),
      "the file is truncated");
  check(
      "mismatch",
      make_file(R"({"x":{"dtype":"F32","shape":[3,2],"data_offsets":[0,16]}})",
                data),
      "needs 24");
  check("negative",
        make_file(R"({"x":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}})",
                  data),
        "not a list of non-negative integers");
  check("reversed",
        make_file(R"({"x":{"dtype":"F32","shape":[0],"data_offsets":[16,0]}})",
                  data),
        "begin after end");
  check("offsets",
        make_file(R"({"x":{"dtype":"F32","shape":[4],"data_offsets":[0]}})",
                  data),
        "data_offsets is not [begin, end]");
  check("overlap",
        make_file(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
                  R"("y":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                  data),
        "overlap");
  check("metadata", make_file(R"({"__metadata__":{"a":1}})", ""),
        "not a string");
  CHECK_THAT(open_error(dir.path / "absent"), Catch::Contains("cannot open"));
}

TEST_CASE("half and bfloat16 conversions round-trip every 16-bit value",
          "[models]") {
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    auto h = static_cast<uint16_t>(bits);
    bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
    if (!nan && float_to_half(half_to_float(h)) != h)
      FAIL("half " << bits << " does not round-trip");
    bool bf_nan = (h & 0x7f80) == 0x7f80 && (h & 0x7f) != 0;
    if (!bf_nan && float_to_bfloat16(bfloat16_to_float(h)) != h)
      FAIL("bfloat16 " << bits << " does not round-trip");
  }
  CHECK(half_to_float(0x3c00) == 1.0f);
  CHECK(float_to_half(1.0f + 1.0f / 4096) == 0x3c00); // ties to even
  CHECK(float_to_half(70000.0f) == 0x7c00);
  CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
  CHECK(float_to_bfloat16(1.0f) == 0x3f80);
}
