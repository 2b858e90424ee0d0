#include <catch2/catch.hpp>

#include <algorithm>

#include "server/config_file.hpp"
#include "server/config_reload.hpp"

using namespace parley;

namespace {

std::vector<model_config> models_of(const std::string& text) {
  return parse_config(text).runtime.models;
}

std::vector<std::string> names(const std::vector<model_config>& models) {
  std::vector<std::string> result;
  for (const auto& model : models)
    result.push_back(model.name);
  return result;
}

} // namespace

TEST_CASE("a reload adds, replaces and removes translation models by their "
          "tables",
          "[server][reload]") {
  auto served = models_of("[models.kept]\nkind = \"echo\"\n"
                          "[models.tuned]\nkind = \"echo\"\nbatch_ms = 1\n"
                          "[models.dropped]\nkind = \"echo\"\n");
  auto next = models_of("[models.kept]\nkind = \"echo\"\n"
                        "[models.tuned]\nkind = \"echo\"\nbatch_ms = 2\n"
                        "[models.added]\nkind = \"echo\"\n");
  auto changes = compare_models(served, next, backend_registry::builtin());
  CHECK(names(changes.added) == std::vector<std::string>{"added"});
  CHECK(names(changes.changed) == std::vector<std::string>{"tuned"});
  CHECK(changes.removed == std::vector<std::string>{"dropped"});
  CHECK(changes.needs_restart.empty());
}

TEST_CASE("a reload leaves speech models to the next start",
          "[server][reload]") {
  auto served = models_of("");
  auto next = models_of("[models.apertium]\nkind = \"apertium\"\n"
                        "[models.espeak]\nkind = \"espeak\"\nmax_batch = 2\n");
  auto changes = compare_models(served, next, backend_registry::builtin());
  CHECK(changes.added.empty());
  CHECK(changes.changed.empty());
  CHECK(changes.removed.empty());
  // pocketsphinx is gone and espeak changed: neither happens while serving.
  std::sort(changes.needs_restart.begin(), changes.needs_restart.end());
  CHECK(changes.needs_restart
        == std::vector<std::string>{"espeak", "pocketsphinx"});
}

TEST_CASE("a reload of the same models changes nothing", "[server][reload]") {
  auto models = models_of("[models.first]\nkind = \"echo\"\nbatch_ms = 3\n");
  auto changes = compare_models(models, models, backend_registry::builtin());
  CHECK(changes.added.empty());
  CHECK(changes.changed.empty());
  CHECK(changes.removed.empty());
  CHECK(changes.needs_restart.empty());
}

TEST_CASE("a model table written back reads as the same model",
          "[server][reload]") {
  auto cfg = parse_config("[models.slow]\nkind = \"echo\"\nreplicas = 2\n"
                          "max_batch = 3\nmax_delay_ms = 7\n"
                          "queue_capacity = 11\nmax_failed_starts = 5\n"
                          "batch_ms = 40\n");
  REQUIRE(cfg.runtime.models.size() == 1);
  const auto& model = cfg.runtime.models.front();
  auto text = model_table_toml(model);
  // batch_ms is an integer option: written as a string, the kind's type
  // check would refuse it.
  CHECK_THAT(text, Catch::Contains("batch_ms = 40"));
  auto again = parse_model_table("slow", text);
  CHECK(again.kind == "echo");
  CHECK(again.replicas == 2);
  CHECK(again.batching.max_batch == 3);
  CHECK(again.batching.max_delay == std::chrono::milliseconds(7));
  CHECK(again.batching.queue_capacity == 11);
  CHECK(again.max_failed_starts == 5);
  CHECK(again.options.values() == model.options.values());
  CHECK(model_table_toml(again) == text);
}
