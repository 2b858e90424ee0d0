// Loading, checking and running Whisper checkpoints on the fixture.

#include "tests/support/torch_catch.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>

#include <c10/core/InferenceMode.h>

#include "models/checkpoint/safetensors.hpp"
#include "models/golden.hpp"
#include "models/nllb/linear.hpp"
#include "models/torch_tensors.hpp"
#include "models/whisper/generate.hpp"
#include "models/whisper/model.hpp"
#include "models/whisper/weights.hpp"
#include "tests/support/edited_checkpoint.hpp"
#include "tests/support/process.hpp"

using namespace parley;
using namespace parley::whisper;
namespace fs = std::filesystem;

namespace {

const std::string fixture_dir =
    std::string{PARLEY_FIXTURES_DIR} + "/whisper-tiny";

// The fixture's prompt: start, language, task, no timestamps; and its end.
const std::vector<int64_t> fixture_prompt = {590, 591, 595, 597};
constexpr int64_t fixture_eot = 599;

at::Tensor expected(const std::string& name) {
  auto file = std::make_shared<const safetensors_file>(
      fixture_dir + "/expected.safetensors");
  return to_torch(*file->find(name), file).clone();
}

/// A writable copy of the fixture whose model.safetensors `edit` rewrites.
std::string edited_copy(const std::string& name,
                        const test::tensor_edit& edit) {
  return test::edited_copy(fixture_dir, name, edit);
}

std::string load_error(const std::string& dir) {
  try {
    load_weights(dir, load_options{});
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

double cosine(const at::Tensor& a, const at::Tensor& b) {
  auto x = a.reshape(-1).to(at::kDouble);
  auto y = b.reshape(-1).to(at::kDouble);
  return (x.dot(y) / (x.norm() * y.norm())).item<double>();
}

} // namespace

TEST_CASE("the golden check passes on the whisper fixture", "[models]") {
  auto report = run_golden(fixture_dir);
  CHECK(report.model_type == "whisper");
  REQUIRE(report.checks.size() == 4);
  CHECK(report.checks[0].tensor == "log_mel");
  CHECK(report.checks[0].tolerance == 2e-3);
  for (const auto& check : report.checks) {
    INFO(check.tensor << " " << check.max_abs_diff << " " << check.detail);
    CHECK(check.passed);
  }
  CHECK(report.passed());
}

TEST_CASE("parley golden passes on the whisper fixture", "[models]") {
  auto result =
      test::run_command({test::bin_path("parley"), "golden", fixture_dir});
  INFO(result.out << result.err);
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.out, Catch::Contains("whisper"));
  CHECK_THAT(result.out, Catch::Contains("greedy_ids"));
  CHECK_THAT(result.out, Catch::EndsWith("PASS\n"));
}

TEST_CASE("the golden check fails on a checkpoint with a changed decoder "
          "weight",
          "[models]") {
  auto dir = edited_copy("changed", [](auto& views, auto& storage) {
    for (size_t i = 0; i < views.size(); ++i)
      if (views[i].name == "model.decoder.layers.1.fc2.bias")
        reinterpret_cast<float*>(storage[i].data())[0] += 0.01f;
  });
  auto report = run_golden(dir);
  CHECK_FALSE(report.passed());
  // The front end and the encoder do not use that weight.
  CHECK(report.checks[0].passed);
  CHECK(report.checks[1].tensor == "encoder_out");
  CHECK(report.checks[1].passed);
  CHECK_FALSE(report.checks[3].passed);
  fs::remove_all(dir);
}

TEST_CASE("a whisper checkpoint missing a tensor or with a wrong shape fails "
          "naming it",
          "[models]") {
  auto missing = edited_copy("missing", [](auto& views, auto& storage) {
    for (size_t i = 0; i < views.size(); ++i)
      if (views[i].name == "model.encoder.layers.1.self_attn.v_proj.bias") {
        views.erase(views.begin() + i);
        storage.erase(storage.begin() + i);
        return;
      }
  });
  CHECK_THAT(load_error(missing),
             Catch::Contains("missing tensor "
                             "model.encoder.layers.1.self_attn.v_proj.bias"));
  auto reshaped = edited_copy("reshaped", [](auto& views, auto&) {
    for (auto& view : views)
      if (view.name == "model.encoder.conv1.weight")
        view.shape = {32, 3, 80}; // same size, wrong layout
  });
  CHECK_THAT(load_error(reshaped), Catch::Contains("model.encoder.conv1.weight")
                                       && Catch::Contains("[32, 80, 3]"));
  auto integer = edited_copy("integer", [](auto& views, auto&) {
    for (auto& view : views)
      if (view.name == "model.decoder.layer_norm.weight")
        view.dtype = tensor_dtype::i32;
  });
  CHECK_THAT(load_error(integer),
             Catch::Contains("model.decoder.layer_norm.weight"));
  for (const auto& dir : {missing, reshaped, integer})
    fs::remove_all(dir);
}

TEST_CASE("a config.json of another model type fails clearly", "[models]") {
  CHECK_THROWS_WITH(parse_model_config(R"({"model_type": "m2m_100"})"),
                    Catch::Contains("unsupported model_type 'm2m_100'")
                        && Catch::Contains("whisper"));
  CHECK_THROWS_WITH(
      load_weights(std::string{PARLEY_FIXTURES_DIR} + "/nllb-tiny",
                   load_options{}),
      Catch::Contains("model_type"));
  CHECK_THROWS_WITH(parse_model_config(R"({"model_type": "whisper"})"),
                    Catch::Contains("vocab_size"));
}

TEST_CASE("the cached decode equals a full decode without a cache",
          "[models]") {
  c10::InferenceMode inference;
  model m{load_weights(fixture_dir, load_options{})};
  auto encoder_out = m.encode(expected("encoder_in"));
  // the cached logits of every step against one teacher-forced pass
  decode_options options;
  options.eot = fixture_eot;
  options.max_new_tokens = 28;
  auto state = m.start(encoder_out);
  auto cached = greedy_search(m, state, fixture_prompt, options);
  auto uncached = greedy_uncached(m, encoder_out, fixture_prompt, fixture_eot,
                                  /*max_new_tokens=*/28);
  auto ids = fixture_prompt;
  ids.insert(ids.end(), cached.tokens.begin(), cached.tokens.end());
  if (cached.finished)
    ids.push_back(fixture_eot);
  CHECK(ids == uncached);

  state = m.start(encoder_out);
  auto full = m.decode(at::tensor(ids, at::kLong).view({1, -1}), encoder_out);
  auto step =
      m.step(state, at::tensor(fixture_prompt, at::kLong).view({1, -1}));
  CHECK((step[0] - full[0][3]).abs().max().item<double>() < 1e-4);
  for (size_t i = fixture_prompt.size(); i + 1 < ids.size(); ++i) {
    step = m.step(state, at::full({1, 1}, ids[i], at::kLong));
    INFO("position " << i);
    CHECK(
        (step[0] - full[0][static_cast<int64_t>(i)]).abs().max().item<double>()
        < 1e-4);
  }
}

TEST_CASE("beam search with one beam equals greedy search", "[models]") {
  c10::InferenceMode inference;
  model m{load_weights(fixture_dir, load_options{})};
  auto encoder_out = m.encode(expected("encoder_in"));
  decode_options options;
  options.eot = fixture_eot;
  options.max_new_tokens = 20;
  // with rules too: they must act the same in both
  for (auto rules :
       {logit_rules{}, logit_rules{{88, 348}, {523, fixture_eot}}}) {
    options.rules = rules;
    auto greedy_state = m.start(encoder_out);
    auto greedy = greedy_search(m, greedy_state, fixture_prompt, options);
    options.num_beams = 1;
    auto beam_state = m.start(encoder_out);
    auto beam = beam_search(m, beam_state, fixture_prompt, options);
    CHECK(beam.tokens == greedy.tokens);
    CHECK(beam.sum_log_prob == Approx(greedy.sum_log_prob));
    CHECK(beam.finished == greedy.finished);
  }
  // The recorded greedy ids, without rules, are what greedy picks.
  options.rules = {};
  auto state = m.start(encoder_out);
  auto greedy = greedy_search(m, state, fixture_prompt, options);
  auto recorded = expected("greedy_ids");
  for (size_t i = 0; i < greedy.tokens.size(); ++i)
    CHECK(greedy.tokens[i]
          == recorded[0][4 + static_cast<int64_t>(i)].item<int64_t>());
}

TEST_CASE("beam search keeps the suppressed tokens out", "[models]") {
  c10::InferenceMode inference;
  model m{load_weights(fixture_dir, load_options{})};
  auto encoder_out = m.encode(expected("encoder_in"));
  decode_options options;
  options.eot = fixture_eot;
  options.max_new_tokens = 12;
  options.rules.suppress = {88, 348};
  options.num_beams = 4;
  auto state = m.start(encoder_out);
  auto beam = beam_search(m, state, fixture_prompt, options);
  REQUIRE_FALSE(beam.tokens.empty());
  CHECK(beam.tokens.size() <= 12);
  CHECK(beam.tokens.size() == beam.log_probs.size());
  for (auto token : beam.tokens) {
    CHECK(token != 88);
    CHECK(token != 348);
  }
}

TEST_CASE("int8 logits stay close to float32", "[models]") {
  c10::InferenceMode inference;
  nllb::select_quantized_engine();
  model fp32{load_weights(fixture_dir, load_options{})};
  model int8{load_weights(fixture_dir, load_options{compute_type::int8})};
  auto features = expected("encoder_in");
  auto ids = expected("greedy_ids");
  auto encoder_fp32 = fp32.encode(features);
  auto encoder_int8 = int8.encode(features);
  CHECK(cosine(encoder_int8, encoder_fp32) > 0.99);
  auto logits_fp32 = fp32.decode(ids, encoder_fp32);
  auto logits_int8 = int8.decode(ids, encoder_int8);
  CHECK(cosine(logits_int8, logits_fp32) > 0.99);
  // one step at a time goes through the few-rows int8 kernel
  auto state = int8.start(encoder_int8);
  auto step = int8.step(state, ids.narrow(1, 0, 4));
  CHECK(cosine(step[0], logits_fp32[0][3]) > 0.99);
}

TEST_CASE("language detection gives a distribution over the language tokens",
          "[models]") {
  c10::InferenceMode inference;
  model m{load_weights(fixture_dir, load_options{})};
  auto encoder_out = m.encode(expected("encoder_in"));
  auto state = m.start(encoder_out);
  std::vector<int64_t> languages = {591, 592, 593, 594};
  auto probs = language_probs(m, state, 590, languages);
  REQUIRE(probs.size() == 4);
  double sum = 0;
  for (auto p : probs)
    sum += p;
  CHECK(sum == Approx(1.0));
  // The same logits, restricted by hand: softmax over the four.
  auto full = m.decode(at::full({1, 1}, 590, at::kLong), encoder_out)[0][0];
  auto reference = at::softmax(full.index_select(0, at::tensor(languages)), 0);
  for (size_t i = 0; i < 4; ++i)
    CHECK(probs[i]
          == Approx(reference[static_cast<int64_t>(i)].item<float>())
                 .margin(1e-5));
  CHECK(state.length == 1);
  // Decoding goes on from the detection step.
  decode_options options;
  options.eot = fixture_eot;
  options.max_new_tokens = 20;
  auto greedy = greedy_search(m, state, fixture_prompt, options);
  auto recorded = expected("greedy_ids");
  REQUIRE(greedy.tokens.size() == 20);
  CHECK(greedy.tokens[0] == recorded[0][4].item<int64_t>());
  CHECK(greedy.tokens[19] == recorded[0][23].item<int64_t>());
}
