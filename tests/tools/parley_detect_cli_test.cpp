// `parley detect` and `parley translate --from auto` as a user runs them.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"
#include "tests/support/text.hpp"

using namespace parley::test;

TEST_CASE("parley detect prints the language and how it was decided",
          "[tools]") {
  auto russian = run_command({bin_path("parley"), "detect",
                              "Завтра утром мы поедем на дачу и будем весь "
                              "день работать в саду."});
  INFO(russian.err);
  CHECK(russian.exit_status == 0);
  CHECK(russian.out == "ru\n");
  CHECK_THAT(russian.err, Catch::Contains("method detector"));

  auto hinted =
      run_command({bin_path("parley"), "detect", "--hint", "it", "ok"});
  CHECK(hinted.exit_status == 0);
  CHECK(hinted.out == "it\n");
  CHECK_THAT(hinted.err, Catch::Contains("method hint"));

  auto defaulted = run_command({bin_path("parley"), "detect", "--set",
                                "detection.default_language=\"ca\"", "lol"});
  CHECK(defaulted.out == "ca\n");
  CHECK_THAT(defaulted.err, Catch::Contains("method default"));

  auto emoji = run_command({bin_path("parley"), "detect", "😂🎉"});
  CHECK(emoji.exit_status == 1);
  CHECK(emoji.out == "und\n");
  CHECK_THAT(emoji.err,
             Catch::Contains("undetermined") && Catch::Contains("no letters"));

  auto piped = run_command({bin_path("parley"), "detect", "--json"},
                           "Mañana vamos a visitar a mis abuelos, que viven en "
                           "un pueblo pequeño cerca de la montaña.");
  CHECK(piped.exit_status == 0);
  auto body = nlohmann::json::parse(piped.out);
  CHECK(body["language"] == "es");
  CHECK(body["method"] == "detector");
  CHECK(body["reliable"] == true);

  // A short message CLD2 alone calls Estonian is decided among the
  // candidates, with the top three named.
  auto short_text =
      run_command({bin_path("parley"), "detect", "--json", "grazie mille"});
  CHECK(short_text.exit_status == 0);
  auto decided = nlohmann::json::parse(short_text.out);
  CHECK(decided["language"] == "it");
  CHECK(decided["method"] == "words");
  REQUIRE(decided["candidates"].is_array());
  CHECK(decided["candidates"].size() == 3);
  CHECK(decided["candidates"][0]["language"] == "it");

  auto empty = run_command({bin_path("parley"), "detect", " "});
  CHECK(empty.exit_status == 2);
  CHECK_THAT(empty.err, Catch::Contains("INVALID_REQUEST"));
}

TEST_CASE("parley translate --from auto detects and names the source",
          "[tools]") {
  auto result = run_command(
      {bin_path("parley"), "translate", "--from", "auto", "--to", "es",
       "Le chat est noir et le chien est très grand, mais ils sont amis depuis "
       "toujours."});
  INFO(result.err);
  CHECK(result.exit_status == 0);
  CHECK_THAT(lower(result.out), Catch::Contains("gato"));
  CHECK_THAT(result.err, Catch::Contains("source fr (detector"));
}
