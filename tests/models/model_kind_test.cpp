// The single declaration of each model kind (models/model_kind.hpp) and the
// checks the registry makes with it.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "models/golden.hpp"
#include "models/registry.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using Catch::Matchers::Contains;

namespace {

std::string refusal(const backend_registry& kinds, const std::string& kind,
                    backend_options options, size_t replicas = 1) {
  try {
    kinds.check_model("m", kind, options, replicas);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

model_kind minimal_kind() {
  model_kind kind;
  kind.name = "minimal";
  kind.factory = backend_factory{[](const backend_options&) {
    return std::unique_ptr<translation_backend>{};
  }};
  return kind;
}

std::string declaration_error(const model_kind& kind) {
  try {
    check_declaration(kind);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "consistent";
}

} // namespace

TEST_CASE("every built-in kind's declaration holds together", "[models]") {
  auto kinds = backend_registry::builtin();
  std::set<std::string> expected{"apertium", "echo",         "espeak",
                                 "nllb",     "pocketsphinx", "whisper"};
  auto names = kinds.kinds();
  CHECK(std::set<std::string>(names.begin(), names.end()) == expected);
  for (const auto* kind : kinds.declarations()) {
    INFO("kind " << kind->name);
    CHECK(declaration_error(*kind) == "consistent");
    CHECK_FALSE(kind->summary.empty());
    // One file per kind, named after it.
    CHECK(std::filesystem::exists(std::string{PARLEY_TESTS_DIR}
                                  + "/../models/backends/" + kind->name
                                  + ".cpp"));
    for (const auto& option : kind->options)
      CHECK_FALSE(option.help.empty());
    const auto& tools = kind->checkpoint;
    if (tools.shapes == nullptr)
      continue;
    for (const auto& shape : tools.shapes()) {
      INFO("shape " << shape);
      auto made = tools.make_random(shape, tensor_dtype::f32);
      CHECK_FALSE(made.tensors.empty());
      std::string config;
      for (const auto& [name, text] : made.files)
        if (name == "config.json")
          config = text;
      REQUIRE_FALSE(config.empty());
      CHECK(tools.loads(nlohmann::json::parse(config).at("model_type")));
    }
  }
}

TEST_CASE("the neural kinds declare compute_type, default auto", "[models]") {
  auto kinds = backend_registry::builtin();
  for (std::string name : {"nllb", "whisper"}) {
    const auto* option = kinds.find_kind(name)->option("compute_type");
    REQUIRE(option != nullptr);
    CHECK(option->fallback == "auto");
  }
}

TEST_CASE("an unknown option key is refused, naming it and the known keys",
          "[models]") {
  auto kinds = backend_registry::builtin();
  auto message =
      refusal(kinds, "nllb", backend_options{{{"quantise", "int8"}}});
  CHECK_THAT(message, Contains("models.m.quantise"));
  CHECK_THAT(message,
             Contains("quantize") && Contains("path") && Contains("nice"));
  CHECK_THAT(refusal(kinds, "echo", backend_options{{{"path", "/x"}}}),
             Contains("models.m.path"));
  CHECK(refusal(kinds, "nllb",
                backend_options{{{"quantize", "int8"}, {"nice", "5"}}})
        == "accepted");
}

TEST_CASE("an option value not of its declared type is refused", "[models]") {
  auto kinds = backend_registry::builtin();
  CHECK_THAT(refusal(kinds, "nllb", backend_options{{{"threads", "many"}}}),
             Contains("models.m.threads") && Contains("integer"));
  CHECK_THAT(refusal(kinds, "nllb", backend_options{{{"threads", "2.5"}}}),
             Contains("models.m.threads"));
  CHECK_THAT(refusal(kinds, "nllb", backend_options{{{"quantize", "int4"}}}),
             Contains("models.m.quantize") && Contains("none, int8"));
  CHECK_THAT(
      refusal(kinds, "nllb", backend_options{{{"length_penalty", "long"}}}),
      Contains("models.m.length_penalty"));
  CHECK_THAT(
      refusal(kinds, "apertium", backend_options{{{"mark_unknown", "yes"}}}),
      Contains("models.m.mark_unknown") && Contains("boolean"));
  CHECK(refusal(kinds, "nllb",
                backend_options{{{"length_penalty", "1.2"}, {"threads", "-1"}}})
        == "accepted");
}

TEST_CASE("espeak takes one replica, because the library is process-wide",
          "[models]") {
  auto kinds = backend_registry::builtin();
  CHECK(kinds.find_kind("espeak")->max_replicas == 1);
  CHECK(refusal(kinds, "espeak", {}, 1) == "accepted");
  CHECK_THAT(refusal(kinds, "espeak", {}, 2),
             Contains("models.m.replicas") && Contains("at most 1"));
  CHECK(refusal(kinds, "apertium", {}, 4) == "accepted");
}

TEST_CASE("an unknown kind is refused, naming it and the known kinds",
          "[models]") {
  auto message = refusal(backend_registry::builtin(), "nlb", {});
  CHECK_THAT(message, Contains("'nlb'") && Contains("nllb"));
}

TEST_CASE("an inconsistent declaration is refused when it is added",
          "[models]") {
  CHECK(declaration_error(minimal_kind()) == "consistent");
  auto no_factory = minimal_kind();
  no_factory.factory = synthesis_factory{nullptr};
  CHECK_THAT(declaration_error(no_factory),
             Contains("needs a factory, for synthesis"));
  auto twice = minimal_kind();
  twice.options = {{"a", option_type::text, "", "x"},
                   {"a", option_type::text, "", "y"}};
  CHECK_THAT(declaration_error(twice), Contains("'a'"));
  auto shadowing = minimal_kind();
  shadowing.options = {{"nice", option_type::integer, "0", "x"}};
  CHECK_THAT(declaration_error(shadowing), Contains("'nice'"));
  auto bad_default = minimal_kind();
  bad_default.options = {
      {"q", option_type::choice, "fp8", "x", {"none", "int8"}}};
  CHECK_THAT(declaration_error(bad_default), Contains("default of option q"));
  auto untyped_default = minimal_kind();
  untyped_default.options = {{"n", option_type::integer, "ten", "x"}};
  CHECK_THAT(declaration_error(untyped_default), Contains("option n"));
  auto hooks_without_type = minimal_kind();
  hooks_without_type.checkpoint.golden = [](const std::string&,
                                            transformer::compute_type) {
    return golden_report{};
  };
  CHECK_THAT(declaration_error(hooks_without_type), Contains("model_type"));
  backend_registry kinds;
  CHECK_THROWS_AS(kinds.add(no_factory), std::invalid_argument);
  CHECK(kinds.find_kind("minimal") == nullptr);
}

TEST_CASE("a programmatic configuration meets the same checks in the runtime",
          "[models]") {
  model_config model;
  model.name = "loopback";
  model.kind = "echo";
  model.options.set("quantise", "int8");
  CHECK_THROWS_WITH(test::runtime_fixture{test::config_with({model})},
                    Contains("models.loopback.quantise"));
  model_config voice;
  voice.name = "voice";
  voice.kind = "espeak";
  voice.replicas = 2;
  CHECK_THROWS_WITH(test::runtime_fixture{test::config_with({voice})},
                    Contains("models.voice.replicas"));
}
