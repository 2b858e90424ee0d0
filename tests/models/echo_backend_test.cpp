// The smallest kind of "Adding a model actor" in docs/architecture.md: the echo
// backend, declared in its file and listed in models/backend_kinds.def.

#include <catch2/catch.hpp>

#include "models/registry.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;

TEST_CASE("the echo backend is registered by its kinds line", "[models]") {
  auto registry = backend_registry::builtin();
  REQUIRE(registry.factory_of<backend_factory>("echo") != nullptr);
  CHECK(registry.factory_of<backend_factory>("no-such-kind") == nullptr);
  auto backend =
      registry.factory_of<backend_factory>("echo")(backend_options{});
  translation_batch batch{{{"en", "es", "hello", lane::interactive},
                           {"fr", "de", "salut", lane::interactive}}};
  auto outputs = backend->translate(batch);
  REQUIRE(outputs.size() == 2);
  CHECK(outputs[0].text == "hello");
  CHECK(outputs[1].text == "salut");
  CHECK(outputs[1].route == std::vector<std::string>{"fr", "de"});
}

TEST_CASE("a configured echo model serves requests through the actor graph",
          "[models]") {
  model_config model;
  model.name = "loopback";
  model.kind = "echo";
  runtime_fixture fx{config_with({model})};
  auto events = fx.translate(make_request(1, "ping", {"es", "fr"}));
  REQUIRE(events.results.size() == 2);
  CHECK(events.result_for("es")->text == "ping");
  CHECK(events.result_for("fr")->model == "loopback");
}
