#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "models/apertium/pair_graph.hpp"

using namespace parley::apertium;
using path = std::vector<std::string>;

namespace {

// The plain pairs installed on the reference machine.
pair_graph installed_graph() {
  pair_graph graph;
  for (const auto* mode : {"cat-eng", "eng-cat", "eng-spa", "es-fr", "es-pt",
                           "fr-es", "pt-es", "spa-eng"}) {
    auto pair = parse_mode_name(mode);
    REQUIRE(pair);
    graph.add_pair(pair->first, pair->second, mode);
  }
  return graph;
}

} // namespace

TEST_CASE("apertium language codes map to ISO 639-1", "[models]") {
  CHECK(to_iso639_1("eng") == "en");
  CHECK(to_iso639_1("spa") == "es");
  CHECK(to_iso639_1("cat") == "ca");
  CHECK(to_iso639_1("por") == "pt");
  CHECK(to_iso639_1("fra") == "fr");
  CHECK(to_iso639_1("deu") == "de");
  CHECK(to_iso639_1("nob") == "nb");
  CHECK(to_iso639_1("nor") == "nb");
  CHECK(to_iso639_1("oci") == "oc");
  CHECK(to_iso639_1("es") == "es");
  CHECK(to_iso639_1("hbs") == "hbs");
  CHECK(to_iso639_1("xyz") == "xyz");
}

TEST_CASE("requested languages are reduced to their primary subtag",
          "[models]") {
  CHECK(normalize_language("pt-BR") == "pt");
  CHECK(normalize_language("pt_br") == "pt");
  CHECK(normalize_language("EN") == "en");
  CHECK(normalize_language("spa") == "es");
  CHECK(normalize_language("fr") == "fr");
}

TEST_CASE("only plain pair modes are parsed as pairs", "[models]") {
  CHECK(parse_mode_name("eng-spa")
        == std::make_pair(std::string{"en"}, std::string{"es"}));
  CHECK(parse_mode_name("fr-es")
        == std::make_pair(std::string{"fr"}, std::string{"es"}));
  for (const auto* variant :
       {"cat-eng_US", "eco-es-fr", "eng-cat_valencia", "es-pt_BR", "e-es",
        "engl-spa", "Eng-spa", "engspa", ""})
    CHECK_FALSE(parse_mode_name(variant));
}

TEST_CASE("a direct pair routes in one hop through its mode", "[models]") {
  auto graph = installed_graph();
  CHECK(graph.route("en", "es", 3) == path{"en", "es"});
  CHECK(graph.mode("en", "es") == std::string{"eng-spa"});
  CHECK(graph.mode("es", "en") == std::string{"spa-eng"});
  CHECK_FALSE(graph.mode("fr", "en"));
}

TEST_CASE("pivots take the shortest route", "[models]") {
  auto graph = installed_graph();
  CHECK(graph.route("fr", "en", 3) == path{"fr", "es", "en"});
  CHECK(graph.route("en", "pt", 3) == path{"en", "es", "pt"});
  CHECK(graph.route("ca", "fr", 3) == path{"ca", "en", "es", "fr"});
}

TEST_CASE("routes of equal length go through the alphabetically first pivot",
          "[models]") {
  pair_graph graph;
  graph.add_pair("a", "c", "a-c");
  graph.add_pair("c", "d", "c-d");
  graph.add_pair("a", "b", "a-b");
  graph.add_pair("b", "d", "b-d");
  CHECK(graph.route("a", "d", 3) == path{"a", "b", "d"});
}

TEST_CASE("a second mode for the same pair is refused", "[models]") {
  pair_graph graph;
  CHECK(graph.add_pair("en", "es", "eng-spa"));
  CHECK_FALSE(graph.add_pair("en", "es", "en-es"));
  CHECK(graph.mode("en", "es") == std::string{"eng-spa"});
}

TEST_CASE("unreachable pairs and unknown languages have no route", "[models]") {
  auto graph = installed_graph();
  graph.add_pair("de", "nl", "deu-nld");
  CHECK(graph.knows("de"));
  CHECK_FALSE(graph.route("en", "de", 3));
  CHECK_FALSE(graph.route("nl", "de", 3));
  CHECK_FALSE(graph.knows("xx"));
  CHECK_FALSE(graph.route("xx", "en", 3));
  CHECK_FALSE(graph.route("en", "xx", 3));
}

TEST_CASE("max_hops limits the length of a route", "[models]") {
  auto graph = installed_graph();
  CHECK_FALSE(graph.route("fr", "en", 1));
  CHECK(graph.route("fr", "en", 2) == path{"fr", "es", "en"});
  CHECK_FALSE(graph.route("ca", "fr", 2));
  CHECK(graph.route("ca", "fr", 3) == path{"ca", "en", "es", "fr"});
}

TEST_CASE("every reachable pair is listed with its route", "[models]") {
  auto routes = installed_graph().all_routes(3);
  // Five languages, all connected within three hops.
  CHECK(routes.size() == 20);
  auto fr_en = std::find_if(routes.begin(), routes.end(), [](const auto& r) {
    return r.source_lang == "fr" && r.target_lang == "en";
  });
  REQUIRE(fr_en != routes.end());
  CHECK(fr_en->via == path{"fr", "es", "en"});
  for (const auto& r : routes) {
    CHECK(r.source_lang != r.target_lang);
    CHECK(r.via.front() == r.source_lang);
    CHECK(r.via.back() == r.target_lang);
  }
  CHECK(installed_graph().all_routes(1).size() == 8);
}
