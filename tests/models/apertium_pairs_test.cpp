// The Apertium pairs Parley installs beyond en, es, fr, ca and pt, each
// checked with a known sentence through its direct pair. The expected words
// are dictionary translations of the sentences, not recorded outputs.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "messages/error_code.hpp"
#include "models/backend.hpp"
#include "tests/support/builtin_kinds.hpp"
#include "tests/support/text.hpp"

using namespace parley;
using namespace parley::test;

namespace {

// Pipelines start on first use, so only the pairs under test run.
translation_backend& lazy_backend() {
  static auto backend = [] {
    backend_options options;
    options.set("preload", "false");
    return test::make_backend("apertium", options);
  }();
  return *backend;
}

struct known_sentence {
  std::string source;
  std::string target;
  std::string text;
  std::vector<std::string> words;
};

} // namespace

TEST_CASE("every added Apertium pair translates a known sentence directly",
          "[models]") {
  const std::vector<known_sentence> cases = {
      {"es", "it", "El gato es negro.", {"gatto", "nero"}},
      {"it", "es", "Il gatto è nero.", {"gato", "negro"}},
      {"ca", "it", "El gat és negre.", {"gatto", "nero"}},
      {"it", "ca", "Il gatto è nero.", {"gat", "negre"}},
      {"ca", "pt", "El gat és negre.", {"o gato", "negro"}},
      {"pt", "ca", "O gato é preto.", {"el gat", "negre"}},
      {"ro", "es", "Casa este mare.", {"casa", "grande"}},
      {"es", "gl", "El perro es grande.", {"o can", "grande"}},
      {"gl", "es", "O can é grande.", {"el perro", "grande"}},
      {"en", "gl", "The dog is big.", {"can", "grande"}},
      {"gl", "en", "O gato é negro.", {"cat", "black"}},
      {"eu", "en", "Etxea handia da.", {"house", "big"}},
      {"en", "eo", "The cat is black.", {"kato", "nigra"}},
      {"eo", "en", "La kato estas nigra.", {"cat", "black"}},
      {"es", "oc", "El gato es negro.", {"gat", "negre"}},
      {"oc", "es", "Lo gat es negre.", {"gato", "negro"}},
      {"is", "en", "Húsið er stórt.", {"house", "big"}},
      {"mk", "en", "Куќата е голема.", {"house"}},
      {"hr", "en", "Mačka je crna.", {"cat", "black"}},
      {"sr", "en", "Mačka je crna.", {"cat", "black"}},
      {"bs", "en", "Mačka je crna.", {"cat", "black"}},
      {"en", "hr", "The house is big.", {"dom", "velik"}},
      {"ru", "uk", "Сегодня хорошая погода.", {"хороша погода"}},
      {"uk", "ru", "Сьогодні гарна погода.", {"хорошая погода"}},
  };
  for (const auto& known : cases) {
    INFO(known.source << " -> " << known.target << ": " << known.text);
    auto outputs =
        lazy_backend().translate({{{known.source, known.target, known.text}}});
    REQUIRE(outputs.size() == 1);
    const auto& output = outputs.front();
    if (output.error)
      FAIL(explanation_of(output.error));
    CHECK(output.route == std::vector<std::string>{known.source, known.target});
    for (const auto& word : known.words)
      CHECK_THAT(lower(output.text), Catch::Contains(word));
  }
}

TEST_CASE("new languages reach the old ones through the shortest pivot",
          "[models]") {
  auto routes = lazy_backend().routes().routes;
  auto via = [&](const std::string& source, const std::string& target) {
    for (const auto& route : routes)
      if (route.source_lang == source && route.target_lang == target)
        return route.via;
    return std::vector<std::string>{};
  };
  // One pivot where no direct pair exists.
  CHECK(via("it", "en") == std::vector<std::string>{"it", "ca", "en"});
  CHECK(via("ro", "en") == std::vector<std::string>{"ro", "es", "en"});
  CHECK(via("gl", "fr") == std::vector<std::string>{"gl", "es", "fr"});
  // The direct pair wins over any pivot.
  CHECK(via("ca", "pt") == std::vector<std::string>{"ca", "pt"});
  CHECK(via("es", "it") == std::vector<std::string>{"es", "it"});
  // Icelandic is only ever a source: nothing translates into it.
  CHECK(via("en", "is").empty());

  auto translated =
      lazy_backend().translate({{{"it", "en", "Il gatto è nero."}}});
  REQUIRE(translated.size() == 1);
  CHECK_FALSE(translated[0].error);
  CHECK_THAT(lower(translated[0].text),
             Catch::Contains("cat") && Catch::Contains("black"));
}
