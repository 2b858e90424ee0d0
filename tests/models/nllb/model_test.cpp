// Loading, checking and running NLLB checkpoints.

#include "tests/support/torch_catch.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <c10/core/InferenceMode.h>

#include "models/checkpoint/safetensors.hpp"
#include "models/golden.hpp"
#include "models/nllb/model.hpp"
#include "models/nllb/weights.hpp"
#include "tests/support/edited_checkpoint.hpp"
#include "tests/support/nllb_fixture.hpp"

using namespace parley;
using namespace parley::nllb;
namespace fs = std::filesystem;

namespace {

/// A writable copy of the fixture whose model.safetensors `edit` rewrites.
std::string edited_copy(const std::string& name,
                        const test::tensor_edit& edit) {
  return test::edited_copy(test::nllb_fixture_dir(), name, edit);
}

std::string load_error(const std::string& dir) {
  try {
    load_weights(dir, load_options{});
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("the golden check passes on the nllb fixture", "[models]") {
  auto report = run_golden(test::nllb_fixture_dir());
  CHECK(report.model_type == "m2m_100");
  REQUIRE(report.checks.size() == 4);
  for (const auto& check : report.checks) {
    INFO(check.tensor << " " << check.max_abs_diff << " " << check.detail);
    CHECK(check.passed);
  }
  CHECK(report.passed());
}

TEST_CASE("the golden check fails on a checkpoint with a changed weight",
          "[models]") {
  auto dir = edited_copy("changed", [](auto& views, auto& storage) {
    for (size_t i = 0; i < views.size(); ++i)
      if (views[i].name == "model.decoder.layers.1.fc2.bias") {
        auto* values = reinterpret_cast<float*>(storage[i].data());
        values[0] += 0.01f;
      }
  });
  auto report = run_golden(dir);
  CHECK_FALSE(report.passed());
  // The encoder does not use that weight; everything after it does.
  CHECK(report.checks[0].tensor == "encoder_out");
  CHECK(report.checks[0].passed);
  CHECK_FALSE(report.checks[1].passed);
  CHECK_FALSE(report.checks[3].passed);
  fs::remove_all(dir);
}

TEST_CASE("a checkpoint missing a tensor, with a wrong shape or a wrong type "
          "fails naming it",
          "[models]") {
  auto missing = edited_copy("missing", [](auto& views, auto& storage) {
    for (size_t i = 0; i < views.size(); ++i)
      if (views[i].name == "model.encoder.layers.1.fc1.weight") {
        views.erase(views.begin() + i);
        storage.erase(storage.begin() + i);
        return;
      }
  });
  CHECK_THAT(load_error(missing),
             Catch::Contains("model.encoder.layers.1.fc1.weight"));
  auto reshaped = edited_copy("reshaped", [](auto& views, auto&) {
    for (auto& view : views)
      if (view.name == "model.decoder.layers.0.fc1.weight")
        view.shape = {32, 64}; // transposed
  });
  CHECK_THAT(load_error(reshaped),
             Catch::Contains("model.decoder.layers.0.fc1.weight"));
  auto integer = edited_copy("integer", [](auto& views, auto&) {
    for (auto& view : views)
      if (view.name == "model.decoder.layer_norm.bias")
        view.dtype = tensor_dtype::i32; // same size as F32
  });
  CHECK_THAT(load_error(integer),
             Catch::Contains("model.decoder.layer_norm.bias"));
  for (const auto& dir : {missing, reshaped, integer})
    fs::remove_all(dir);
}

TEST_CASE("an unknown model type is refused", "[models]") {
  auto dir = fs::temp_directory_path()
             / ("parley_nllb_type_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::copy_file(test::nllb_fixture_dir() + "/model.safetensors",
                dir / "model.safetensors",
                fs::copy_options::overwrite_existing);
  std::ofstream{dir / "config.json"} << R"({"model_type": "t5"})";
  CHECK_THAT(load_error(dir.string()), Catch::Contains("t5"));
  fs::remove_all(dir);
}

TEST_CASE("F16 and BF16 checkpoints load and stay close to F32", "[models]") {
  c10::InferenceMode inference;
  auto reference = load_weights(test::nllb_fixture_dir(), load_options{});
  for (auto dtype : {tensor_dtype::f16, tensor_dtype::bf16}) {
    auto dir = edited_copy(to_string(dtype), [&](auto& views, auto& storage) {
      for (size_t i = 0; i < views.size(); ++i) {
        auto floats = at::from_blob(
            storage[i].data(), {static_cast<int64_t>(storage[i].size() / 4)},
            at::kFloat);
        auto converted =
            floats.to(dtype == tensor_dtype::f16 ? at::kHalf : at::kBFloat16);
        auto* bytes = static_cast<const char*>(converted.data_ptr());
        storage[i].assign(bytes, bytes + converted.numel() * 2);
        views[i].dtype = dtype;
      }
    });
    auto weights = load_weights(dir, load_options{});
    INFO(to_string(dtype));
    CHECK(weights->shared.scalar_type() == at::kFloat);
    auto diff = (weights->shared - reference->shared).abs().max().item<float>();
    CHECK(diff > 0);
    CHECK(diff < 0.01);
    fs::remove_all(dir);
  }
}

TEST_CASE("replicas of one checkpoint share its weights", "[models]") {
  auto first = shared_weights(test::nllb_fixture_dir(), load_options{});
  auto second = shared_weights(test::nllb_fixture_dir() + "/", load_options{});
  CHECK(first.get() == second.get());
  auto quantized = shared_weights(test::nllb_fixture_dir(),
                                  load_options{compute_type::int8});
  CHECK(quantized.get() != first.get());
}

TEST_CASE("int8 weights give logits close to float ones", "[models]") {
  c10::InferenceMode inference;
  select_quantized_engine();
  model fp32{load_weights(test::nllb_fixture_dir(), load_options{})};
  model int8{
      load_weights(test::nllb_fixture_dir(), load_options{compute_type::int8})};
  auto ids = at::tensor(std::vector<int64_t>{1001, 478, 867, 548, 532, 2})
                 .view({1, -1});
  auto mask = at::ones_like(ids);
  auto exact = fp32.decode(ids, fp32.encode(ids, mask), mask);
  auto approx = int8.decode(ids, int8.encode(ids, mask), mask);
  auto cosine = at::cosine_similarity(exact.flatten(), approx.flatten(), 0)
                    .item<double>();
  CHECK(cosine > 0.99);
  CHECK(int8.step_weight_bytes() < fp32.step_weight_bytes() / 2);
}
