// Choosing espeak-ng voices by language, on voice tables written here in
// espeak's own listing format.

#include <catch2/catch.hpp>

#include <string>

#include "models/speech/espeak_voices.hpp"

using namespace parley::speech;

namespace {

// espeak's `languages` field: priority byte, code, NUL; a zero byte ends it.
std::string field(std::initializer_list<std::pair<int, std::string>> pairs) {
  std::string result;
  for (const auto& [priority, code] : pairs) {
    result += static_cast<char>(priority);
    result += code;
    result += '\0';
  }
  result += '\0';
  return result;
}

voice_entry voice(const std::string& identifier, const std::string& languages) {
  return {identifier, parse_voice_languages(languages.c_str())};
}

} // namespace

TEST_CASE("espeak language fields split into codes and priorities",
          "[models]") {
  auto languages =
      parse_voice_languages(field({{2, "en-GB"}, {3, "en"}}).c_str());
  REQUIRE(languages.size() == 2);
  CHECK(languages[0].code == "en-gb");
  CHECK(languages[0].priority == 2);
  CHECK(languages[1].code == "en");
  CHECK(languages[1].priority == 3);
  CHECK(parse_voice_languages(nullptr).empty());
  CHECK(parse_voice_languages("").empty());
}

TEST_CASE("espeak codes map to ISO 639-1 when they have a two-letter code",
          "[models]") {
  CHECK(iso639_1_of("en-gb-x-rp") == "en");
  CHECK(iso639_1_of("ES-419") == "es");
  CHECK(iso639_1_of("zh") == "zh");
  CHECK(iso639_1_of("yue").empty());
  CHECK(iso639_1_of("chr-us-qaaa-x-west").empty());
  CHECK(iso639_1_of("").empty());
}

TEST_CASE("the voice table prefers the best-ranked voice of a language",
          "[models]") {
  voice_table table{{voice("roa/es-419", field({{5, "es-419"}, {6, "es"}})),
                     voice("roa/es", field({{5, "es"}})),
                     voice("gmw/en-US", field({{2, "en-us"}, {3, "en"}})),
                     voice("gmw/en", field({{2, "en-gb"}, {2, "en"}})),
                     voice("sit/yue", field({{5, "yue"}, {8, "zh"}})),
                     voice("sit/cmn", field({{5, "cmn"}, {5, "zh"}}))}};
  CHECK(table.voice_for("es") == "roa/es");
  CHECK(table.voice_for("es-419") == "roa/es-419");
  CHECK(table.voice_for("en") == "gmw/en");
  CHECK(table.voice_for("EN_us") == "gmw/en-US");
  CHECK(table.voice_for("en-au") == "gmw/en");
  CHECK(table.voice_for("zh") == "sit/cmn");
  CHECK(table.voice_for("yue") == "sit/yue");
  CHECK(table.voice_for("xx").empty());
  CHECK(table.voice_for("").empty());
  CHECK(table.iso_languages() == std::vector<std::string>{"en", "es", "zh"});
}

TEST_CASE("ties between voices keep espeak's listing order", "[models]") {
  voice_table table{{voice("first", field({{5, "fr"}})),
                     voice("second", field({{5, "fr"}}))}};
  CHECK(table.voice_for("fr") == "first");
}
