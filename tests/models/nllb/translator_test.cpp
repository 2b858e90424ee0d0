// Texts through the tiny NLLB fixture. Its weights are random, so the words
// it produces mean nothing; what is checked is everything around them.

#include "tests/support/torch_catch.hpp"

#include "messages/error_code.hpp"
#include "models/nllb/translator.hpp"
#include "models/registry.hpp"
#include "models/structured_translation.hpp"
#include "tests/support/nllb_fixture.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;

namespace {

std::unique_ptr<translation_backend> tiny_backend(int64_t max_new_tokens = 8) {
  backend_options options;
  options.set("path", test::tiny_nllb_dir());
  options.set("max_new_tokens", std::to_string(max_new_tokens));
  return backend_registry::builtin().factory_of<backend_factory>("nllb")(
      options);
}

job_output translate(translation_backend& backend, const std::string& source,
                     const std::string& target, const std::string& text) {
  translation_batch batch{{{source, target, text, lane::interactive}}};
  return translate_structured(backend, batch).at(0);
}

} // namespace

TEST_CASE("the nllb backend under the structure layer keeps URLs, emojis, "
          "code and paragraphs",
          "[models]") {
  auto backend = tiny_backend();
  auto text = "Read https://example.com/a?b=1 now 😀.\n\n"
              "Mail me at team@example.org. It costs 3.14 euros.\n\n"
              "```\nint x = 1;\n```";
  auto out = translate(*backend, "en", "fr", text);
  REQUIRE_FALSE(out.error);
  CHECK_THAT(out.text, Catch::Contains("https://example.com/a?b=1"));
  CHECK_THAT(out.text, Catch::Contains("😀"));
  CHECK_THAT(out.text, Catch::Contains("team@example.org"));
  CHECK_THAT(out.text, Catch::Contains("3.14"));
  CHECK_THAT(out.text, Catch::Contains("```\nint x = 1;\n```"));
  // Three paragraphs in, three out.
  size_t breaks = 0;
  for (size_t at = out.text.find("\n\n"); at != std::string::npos;
       at = out.text.find("\n\n", at + 2))
    ++breaks;
  CHECK(breaks == 2);
  CHECK(out.route == std::vector<std::string>{"en", "fr"});
}

TEST_CASE("the nllb backend answers unknown languages per job", "[models]") {
  auto backend = tiny_backend();
  translation_batch batch{{{"en", "fr", "Hello.", lane::interactive},
                           {"en", "ja", "Hello.", lane::interactive},
                           {"xx", "fr", "Hello.", lane::interactive},
                           {"en", "en", "Hello.", lane::interactive}}};
  auto out = backend->translate(batch);
  REQUIRE(out.size() == 4);
  CHECK_FALSE(out[0].error);
  CHECK_FALSE(out[0].text.empty());
  // Japanese is a real NLLB language, but not one of this checkpoint's four.
  CHECK(code_of(out[1].error) == error_code::unsupported_language);
  CHECK(code_of(out[2].error) == error_code::unsupported_language);
  CHECK(out[3].text == "Hello.");
}

TEST_CASE("the nllb backend lists its checkpoint's languages", "[models]") {
  auto routes = tiny_backend()->routes();
  CHECK(routes.routes.empty());
  CHECK(routes.languages == std::vector<std::string>{"en", "fr", "es", "de"});
}

TEST_CASE("a request's sentences decode as one batch, as one at a time",
          "[models]") {
  auto backend = tiny_backend();
  auto together = translate(*backend, "en", "de", "One. Two words. Three.");
  auto one = translate(*backend, "en", "de", "One.");
  auto two = translate(*backend, "en", "de", "Two words.");
  auto three = translate(*backend, "en", "de", "Three.");
  CHECK(together.text == one.text + " " + two.text + " " + three.text);
}

TEST_CASE("the nllb backend refuses bad options clearly", "[models]") {
  auto make = [](std::map<std::string, std::string> values) {
    try {
      backend_registry::builtin().factory_of<backend_factory>("nllb")(
          backend_options{values});
    } catch (const std::exception& e) {
      return std::string{e.what()};
    }
    return std::string{"no error"};
  };
  CHECK_THAT(make({}), Catch::Contains("path"));
  CHECK_THAT(make({{"path", test::tiny_nllb_dir()}, {"quantize", "int4"}}),
             Catch::Contains("int4"));
  CHECK_THAT(
      make({{"path", test::tiny_nllb_dir()}, {"compute_type", "float8"}}),
      Catch::Contains("float8"));
  CHECK_THAT(make({{"path", test::tiny_nllb_dir()}, {"device", "tpu"}}),
             Catch::Contains("tpu"));
  CHECK_THAT(make({{"path", "/nonexistent/model"}}),
             Catch::Contains("/nonexistent/model"));
}

TEST_CASE("modelType routes to a configured nllb model through the actors",
          "[models]") {
  model_config neural;
  neural.name = "nllb-tiny";
  neural.kind = "nllb";
  neural.options.set("path", test::tiny_nllb_dir());
  neural.options.set("max_new_tokens", "6");
  model_config text;
  text.name = "apertium";
  text.kind = "apertium";
  auto cfg = test::config_with({text, neural});
  cfg.routes["premium"] = "nllb-tiny";
  test::runtime_fixture fx{cfg};
  auto premium =
      fx.translate(test::make_request(1, "Hello.", {"fr"}, "en", "premium"));
  REQUIRE(premium.results.size() == 1);
  CHECK(premium.results[0].model == "nllb-tiny");
  auto basic =
      fx.translate(test::make_request(2, "Hello.", {"fr"}, "en", "basic"));
  REQUIRE(basic.results.size() == 1);
  CHECK(basic.results[0].model == "apertium");
}
