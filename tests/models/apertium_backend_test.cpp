#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "messages/error_code.hpp"
#include "models/backend.hpp"
#include "tests/support/builtin_kinds.hpp"

using namespace parley;
using Catch::Matchers::Contains;
using path = std::vector<std::string>;

namespace {

// Loading starts every pipeline, so the default backend is shared.
translation_backend& shared_backend() {
  static auto backend = test::make_backend("apertium", {});
  return *backend;
}

job_output translate(translation_backend& backend, const std::string& source,
                     const std::string& target, const std::string& text) {
  auto outputs = backend.translate({{{source, target, text}}});
  REQUIRE(outputs.size() == 1);
  return outputs.front();
}

std::string translated(const std::string& source, const std::string& target,
                       const std::string& text) {
  auto output = translate(shared_backend(), source, target, text);
  if (output.error)
    FAIL(explanation_of(output.error));
  return output.text;
}

std::string make_temp_dir() {
  std::string pattern = "/tmp/parley_apertium_XXXXXX";
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

} // namespace

TEST_CASE("known sentences translate through the direct pairs", "[models]") {
  CHECK_THAT(translated("en", "es", "The cat is black."),
             Contains("gato") && Contains("negro"));
  CHECK_THAT(translated("es", "en", "El perro es grande."),
             Contains("dog") && Contains("big"));
  CHECK_THAT(translated("fr", "es", "Le chat est noir."),
             Contains("gato") && Contains("negro"));
  CHECK_THAT(translated("en", "ca", "The house is big."),
             Contains("casa") && Contains("gran"));
  CHECK_THAT(translated("es", "pt", "La casa es grande."),
             Contains("casa") && Contains("grande"));
  CHECK(translate(shared_backend(), "en", "es", "Hi").route
        == path{"en", "es"});
}

TEST_CASE("french reaches english through spanish", "[models]") {
  auto output = translate(shared_backend(), "fr", "en", "Le chat est noir.");
  REQUIRE_FALSE(output.error);
  CHECK_THAT(output.text, Contains("cat") && Contains("black"));
  CHECK(output.route == path{"fr", "es", "en"});
}

TEST_CASE("region subtags and three-letter codes are accepted", "[models]") {
  CHECK_THAT(translated("es", "pt-BR", "La casa es grande."), Contains("casa"));
  CHECK_THAT(translated("spa", "eng", "El perro es grande."), Contains("dog"));
}

TEST_CASE("apertium's reserved characters come back as plain text",
          "[models]") {
  auto text = translated("en", "es", R"(^hello$ [x] {y} <z> a/b \ @ ~ * #)");
  for (const auto* piece :
       {"^", "$", "[x]", "{y}", "<z>", "/b", "\\", "@", "~", "*", "#"})
    CHECK_THAT(text, Contains(piece));
  CHECK_THAT(translated("en", "es", "The cat is black."), Contains("gato"));
}

TEST_CASE("shell metacharacters are only text", "[models]") {
  std::remove("/tmp/parley_pwned");
  auto text =
      translated("en", "es", "$(touch /tmp/parley_pwned); rm -rf ~ | cat");
  CHECK_THAT(text, Contains("$(") && Contains("/tmp/parley_pwned")
                       && Contains("rm -rf ~") && Contains("|"));
  CHECK(access("/tmp/parley_pwned", F_OK) != 0);
}

TEST_CASE("unknown words are unmarked by default and starred on request",
          "[models]") {
  auto plain = translated("en", "es", "I saw a Flibbertigibbet.");
  CHECK_THAT(plain, Contains("Flibbertigibbet") && !Contains("*"));
  auto marking = test::make_backend(
      "apertium",
      backend_options{{{"mark_unknown", "true"}, {"preload", "false"}}});
  auto marked = translate(*marking, "en", "es", "I saw a Flibbertigibbet.");
  REQUIRE_FALSE(marked.error);
  CHECK_THAT(marked.text, Contains("*Flibbertigibbet"));
}

TEST_CASE("paragraph breaks and surrounding whitespace survive", "[models]") {
  auto text =
      translated("en", "es", "  The dog is big.\n\nThe cat is black.\n");
  CHECK_THAT(text, Contains("perro") && Contains(".\n\n") && Contains("gato"));
  CHECK(text.substr(0, 2) == "  ");
  CHECK(text[2] != ' ');
  CHECK(text.back() == '\n');
}

TEST_CASE("empty text and same-language jobs come back unchanged", "[models]") {
  CHECK(translated("en", "es", "").empty());
  CHECK(translated("en", "es", " \n") == " \n");
  auto same = translate(shared_backend(), "en", "en", "The cat is black.");
  CHECK(same.text == "The cat is black.");
  CHECK(same.route == path{"en"});
}

TEST_CASE("unsupported pairs fail only their own job in a batch", "[models]") {
  auto outputs = shared_backend().translate({{
      {"en", "es", "The cat is black."},
      {"en", "de", "The cat is black."},
      {"xx", "es", "The cat is black."},
      {"es", "en", "El perro es grande."},
  }});
  REQUIRE(outputs.size() == 4);
  CHECK_FALSE(outputs[0].error);
  CHECK_THAT(outputs[0].text, Contains("gato"));
  CHECK(code_of(outputs[1].error) == error_code::unsupported_language);
  CHECK_THAT(explanation_of(outputs[1].error), Contains("en to de"));
  CHECK(code_of(outputs[2].error) == error_code::unsupported_language);
  CHECK_THAT(explanation_of(outputs[2].error), Contains("xx"));
  CHECK_FALSE(outputs[3].error);
  CHECK_THAT(outputs[3].text, Contains("dog"));
}

TEST_CASE("routes lists the pivot from french to english", "[models]") {
  auto routes = shared_backend().routes().routes;
  auto fr_en = std::find_if(routes.begin(), routes.end(), [](const auto& r) {
    return r.source_lang == "fr" && r.target_lang == "en";
  });
  REQUIRE(fr_en != routes.end());
  CHECK(fr_en->via == path{"fr", "es", "en"});
}

TEST_CASE("max_hops of one leaves only the direct pairs", "[models]") {
  auto backend = test::make_backend(
      "apertium", backend_options{{{"max_hops", "1"}, {"preload", "false"}}});
  auto direct = backend->routes().routes;
  // Exactly the one-pair routes of the default backend, and no pivot.
  size_t one_pair = 0;
  for (const auto& route : shared_backend().routes().routes)
    one_pair += route.via.size() == 2 ? 1 : 0;
  CHECK(direct.size() == one_pair);
  CHECK(direct.size() >= 8);
  for (const auto& route : direct)
    CHECK(route.via.size() == 2);
  auto output = translate(*backend, "fr", "en", "Le chat est noir.");
  CHECK(code_of(output.error) == error_code::unsupported_language);
}

TEST_CASE("a missing apertium program fails the load", "[models]") {
  backend_options options{{{"apertium", "/nonexistent/apertium"}}};
  CHECK_THROWS_WITH(test::make_backend("apertium", options),
                    Contains("/nonexistent/apertium"));
}

TEST_CASE("a modes directory without any listed mode fails the load",
          "[models]") {
  auto dir = make_temp_dir();
  CHECK_THROWS_WITH(
      test::make_backend("apertium", backend_options{{{"modes_dir", dir}}}),
      Contains("no language pair"));
  rmdir(dir.c_str());
}

TEST_CASE("a mode file with shell syntax fails the load naming the file",
          "[models]") {
  auto dir = make_temp_dir();
  auto file = dir + "/eng-spa.mode";
  std::ofstream{file} << "lt-proc x.bin | lt-proc $1 y.bin; rm -rf ~\n";
  CHECK_THROWS_WITH(
      test::make_backend("apertium", backend_options{{{"modes_dir", dir}}}),
      Contains(file));
  std::remove(file.c_str());
  rmdir(dir.c_str());
}
