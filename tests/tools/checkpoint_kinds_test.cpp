// A kind declared in one file (tests/support/toy_kind.cpp) reaches the
// checkpoint tools and the runtime through its declaration alone.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "models/golden.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/runtime_fixture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/checkpoint_kinds.hpp"

using namespace parley;
using namespace parley::test;
using Catch::Matchers::Contains;

namespace {

bool has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

} // namespace

TEST_CASE("make-checkpoint writes the shapes of every kind, a new one too",
          "[tools]") {
  auto kinds = registry_with_probe();
  auto shapes = checkpoint_shapes(kinds);
  CHECK(has(shapes, "toy-4"));
  CHECK(has(shapes, "tiny"));
  CHECK(has(shapes, "whisper-tiny"));
  CHECK_FALSE(has(checkpoint_shapes(backend_registry::builtin()), "toy-4"));
  temp_dir dir;
  auto written = write_random_checkpoint(kinds, "toy-4", dir.file("toy"),
                                         tensor_dtype::f32, /*seed=*/1);
  CHECK(written.tensors == 1);
  CHECK(written.parameters == 16);
  CHECK(std::filesystem::exists(written.weights));
  CHECK(checkpoint_model_type(dir.file("toy")) == "toy_reverse");
  CHECK_THROWS_WITH(write_random_checkpoint(kinds, "toy-5", dir.file("x"),
                                            tensor_dtype::f32, 1),
                    Contains("toy-5"));
  CHECK_THROWS_WITH(write_random_checkpoint(kinds, "toy-4", dir.file("y"),
                                            tensor_dtype::f32, 1,
                                            "/etc/hostname"),
                    Contains("tokenizer"));
}

TEST_CASE("golden and translate --model find a new kind by its model_type",
          "[tools]") {
  auto kinds = registry_with_probe();
  temp_dir dir;
  auto path = dir.file("toy");
  write_random_checkpoint(kinds, "toy-4", path, tensor_dtype::f32, 1);
  auto report = run_golden(path, transformer::compute_type::float32, kinds);
  CHECK(report.model_type == "toy_reverse");
  CHECK(report.passed());
  CHECK_THROWS_WITH(run_golden(path, transformer::compute_type::float32,
                               backend_registry::builtin()),
                    Contains("toy_reverse"));
  auto model = checkpoint_model(kinds, path);
  CHECK(model.kind == "toy");
  CHECK(model.name == "toy");
  CHECK_THROWS_WITH(checkpoint_model(backend_registry::builtin(), path),
                    Contains("toy_reverse"));
  CHECK(checkpoint_kind(kinds, std::string{PARLEY_FIXTURES_DIR} + "/nllb-tiny",
                        model_task::translation)
            .name
        == "nllb");
  CHECK(checkpoint_kind(kinds,
                        std::string{PARLEY_FIXTURES_DIR} + "/whisper-tiny",
                        model_task::transcription)
            .name
        == "whisper");
}

TEST_CASE("a model of the new kind serves requests through the actor graph",
          "[tools]") {
  temp_dir dir;
  auto path = dir.file("toy");
  write_random_checkpoint(registry_with_probe(), "toy-4", path,
                          tensor_dtype::f32, 1);
  auto model = checkpoint_model(registry_with_probe(), path);
  model.options.set("upper", "true");
  runtime_fixture fx{config_with({model})};
  auto events = fx.translate(make_request(1, "abc", {"es"}));
  REQUIRE(events.results.size() == 1);
  CHECK(events.result_for("es")->text == "CBA");
  CHECK(events.result_for("es")->model == "toy");
}
