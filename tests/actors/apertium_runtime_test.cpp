// The embedded default, end to end: requests through the router, handler,
// cache and the model's pool into real Apertium pipelines. Expected words are
// known translations of the sentences, not outputs recorded from Parley.

#include <catch2/catch.hpp>

#include "messages/error_code.hpp"
#include "tests/support/runtime_fixture.hpp"
#include "tests/support/text.hpp"

using namespace parley;
using namespace parley::test;

namespace {

void check_contains(const request_events& events, const std::string& lang,
                    std::vector<std::string> words) {
  auto result = events.result_for(lang);
  INFO("target " << lang);
  REQUIRE(result != nullptr);
  for (const auto& word : words)
    CHECK_THAT(lower(result->text), Catch::Contains(word));
}

} // namespace

TEST_CASE("the embedded default translates known sentences, pivots included",
          "[actors]") {
  runtime_fixture fx{default_runtime_config()};
  auto english = fx.translate(
      make_request(1, "The cat is black.", {"es", "ca", "pt", "fr"}));
  REQUIRE(english.failures.empty());
  check_contains(english, "es", {"gato", "negro"});
  check_contains(english, "ca", {"gat", "negre"});
  check_contains(english, "pt", {"gato", "negro"});
  check_contains(english, "fr", {"chat", "noir"});
  CHECK(english.result_for("es")->route
        == std::vector<std::string>{"en", "es"});
  // Two one-pivot routes tie (through ca and through es); the
  // alphabetically first pivot wins.
  CHECK(english.result_for("pt")->route
        == std::vector<std::string>{"en", "ca", "pt"});

  auto french =
      fx.translate(make_request(2, "Le chat est noir.", {"en", "es"}, "fr"));
  check_contains(french, "en", {"cat", "black"});
  check_contains(french, "es", {"gato", "negro"});
  CHECK(french.result_for("en")->route
        == std::vector<std::string>{"fr", "es", "en"});

  auto spanish =
      fx.translate(make_request(3, "El perro es grande.", {"en"}, "es"));
  check_contains(spanish, "en", {"dog", "big"});
}

TEST_CASE("the embedded default refuses pairs it cannot reach, per language",
          "[actors]") {
  runtime_fixture fx{default_runtime_config()};
  auto events =
      fx.translate(make_request(1, "Good morning.", {"es", "de", "ja"}));
  REQUIRE(events.results.size() == 1);
  check_contains(events, "es", {"buenos", "días"});
  REQUIRE(events.failures.size() == 2);
  for (const auto& failure : events.failures)
    CHECK(code_of(failure.reason) == error_code::unsupported_language);
}

TEST_CASE("Apertium's reserved characters are translated as plain text",
          "[actors]") {
  runtime_fixture fx{default_runtime_config()};
  auto tricky = "The cat [^is$] <black> {really} a/b \\ @home ~ * #1.";
  auto events = fx.translate(make_request(1, tricky, {"es"}));
  REQUIRE(events.results.size() == 1);
  const auto& text = events.results[0].text;
  for (auto token :
       {"[", "^", "$", "]", "<", ">", "{", "}", "/", "\\", "@", "~", "*", "#"})
    CHECK_THAT(text, Catch::Contains(token));
  CHECK_THAT(lower(text), Catch::Contains("gato"));
  auto after = fx.translate(make_request(2, "The dog is big.", {"es"}));
  check_contains(after, "es", {"perro", "grande"});
}
