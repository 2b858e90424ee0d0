// The [detection] section of the configuration file.

#include <catch2/catch.hpp>

#include "server/config_file.hpp"

using namespace parley;
using Catch::Matchers::Contains;

TEST_CASE("detection defaults to CLD2 with no default language", "[io]") {
  auto cfg = parse_config("");
  CHECK(cfg.runtime.detection.engine == "cld2");
  CHECK(cfg.runtime.detection.default_language.empty());
  CHECK(cfg.runtime.detection.min_confidence == Approx(0.5));
  CHECK(cfg.runtime.detection.min_letters == 30);
  CHECK(cfg.runtime.detection.languages.size() == 19);
  CHECK(cfg.runtime.detection.conversations == 100000);
  CHECK(cfg.runtime.detection.conversation_depth == 8);
}

TEST_CASE("the detection section sets every key and checks them", "[io]") {
  auto cfg = parse_config(R"(
[detection]
engine = "off"
default_language = "fr"
min_confidence = 0.8
min_letters = 4
languages = ["fr", "gl"]
conversations = 10
conversation_depth = 3
)");
  CHECK(cfg.runtime.detection.engine == "off");
  CHECK(cfg.runtime.detection.default_language == "fr");
  CHECK(cfg.runtime.detection.min_confidence == Approx(0.8));
  CHECK(cfg.runtime.detection.min_letters == 4);
  CHECK(cfg.runtime.detection.languages
        == std::vector<std::string>{"fr", "gl"});
  CHECK(cfg.runtime.detection.conversations == 10);
  CHECK(cfg.runtime.detection.conversation_depth == 3);

  auto overridden = parse_config("", {"detection.default_language=es"});
  CHECK(overridden.runtime.detection.default_language == "es");

  CHECK_THROWS_WITH(parse_config("[detection]\nmin_confidence = 1.5\n"),
                    Contains("detection.min_confidence"));
  CHECK_THROWS_WITH(parse_config("[detection]\nmin_confidence = \"high\"\n"),
                    Contains("detection.min_confidence"));
  CHECK_THROWS_WITH(parse_config("[detection]\nlanguage = \"fr\"\n"),
                    Contains("detection.language"));
  CHECK_THROWS_WITH(parse_config("[detection]\nmin_letters = -1\n"),
                    Contains("detection.min_letters"));
  CHECK_THROWS_WITH(parse_config("[detection]\nlanguages = \"fr\"\n"),
                    Contains("detection.languages"));
  CHECK_THROWS_WITH(parse_config("[detection]\nconversation_depth = 0\n"),
                    Contains("detection.conversation_depth"));
}
