// LibreTranslate's API on a real parleyd with the embedded Apertium model,
// as its clients send it: JSON, form bodies, and Mastodon's shape (`q` as a
// list, `format: html`, `source: auto`).

#include <catch2/catch.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/http/http_translate.hpp"
#include "io/http/request_fields.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("form fields decode escapes, repeats and brackets", "[io][http]") {
  auto fields = request_fields::from_form(
      "q=Hello+world%21&target=es&q=%C3%A9t%C3%A9&flag&tags[]=a");
  CHECK(fields.all("q") == std::vector<std::string>{"Hello world!", "été"});
  CHECK(fields.is_list("q"));
  CHECK(fields.get("target") == "es");
  CHECK_FALSE(fields.is_list("target"));
  CHECK(fields.has("flag"));
  CHECK(fields.get("flag", "unset").empty());
  CHECK(fields.is_list("tags"));
  CHECK(fields.get("missing", "fallback") == "fallback");
  CHECK_THROWS_AS(request_fields::from_form("q=%G1"), bad_fields);
  CHECK_THROWS_AS(request_fields::from_form("q=%4"), bad_fields);
}

TEST_CASE("JSON fields keep lists, scalars as text, and skip objects",
          "[io][http]") {
  auto fields = request_fields::from_json(
      R"({"q": ["a", "b"], "alternatives": 3, "html": true,
          "nested": {"x": 1}, "none": null, "target": "ES"})");
  CHECK(fields.all("q") == std::vector<std::string>{"a", "b"});
  CHECK(fields.is_list("q"));
  CHECK(fields.get("alternatives") == "3");
  CHECK(fields.get("html") == "true");
  CHECK_FALSE(fields.has("nested"));
  CHECK_FALSE(fields.has("none"));
  CHECK(fields.get("target") == "ES");
  CHECK_THROWS_AS(request_fields::from_json("[1, 2]"), bad_fields);
  CHECK_THROWS_AS(request_fields::from_json("{"), bad_fields);
}

TEST_CASE("LibreTranslate's translate answers JSON, form and list bodies",
          "[io][http][libretranslate]") {
  server_process server;
  auto port = server.http_port;

  auto single = http_post(port, "/translate",
                          R"({"q": "The cat is black.", "source": "en",
                              "target": "es", "api_key": "", "x": 1})");
  REQUIRE(single.status == 200);
  auto body = json::parse(single.body);
  CHECK_THAT(lower(body["translatedText"]), Catch::Contains("gato"));
  CHECK_FALSE(body.contains("detectedLanguage")); // the source was named

  auto form = http_post(port, "/translate",
                        "q=The+dog+is+big.&source=EN&target=ES&format=text",
                        "application/x-www-form-urlencoded");
  REQUIRE(form.status == 200);
  CHECK_THAT(lower(json::parse(form.body)["translatedText"]),
             Catch::Contains("perro"));

  // Mastodon's LibreTranslate service: q as a list, html, auto.
  auto listed = http_post(port, "/translate",
                          R"({"q": ["Le chat est noir et le chien est grand.",
                                    "The house is red and the car is blue."],
                              "source": "auto", "target": "es",
                              "format": "html"})");
  REQUIRE(listed.status == 200);
  auto answers = json::parse(listed.body);
  REQUIRE(answers["translatedText"].is_array());
  REQUIRE(answers["translatedText"].size() == 2);
  CHECK_THAT(lower(answers["translatedText"][0]), Catch::Contains("gato"));
  CHECK_THAT(lower(answers["translatedText"][1]), Catch::Contains("casa"));
  REQUIRE(answers["detectedLanguage"].is_array());
  CHECK(answers["detectedLanguage"][0]["language"] == "fr");
  CHECK(answers["detectedLanguage"][1]["language"] == "en");
  auto confidence = answers["detectedLanguage"][0]["confidence"].get<double>();
  CHECK(confidence > 1); // 0 to 100, not 0 to 1
  CHECK(confidence <= 100);

  auto with_alternatives =
      json::parse(http_post(port, "/translate",
                            R"({"q": "The cat.", "source": "en", "target": "es",
                    "alternatives": 3})")
                      .body);
  CHECK(with_alternatives["alternatives"] == json::array());

  // Parley's own body still reaches Parley's route, whatever its label:
  // `curl -d` labels JSON as a form.
  for (const auto* type :
       {"application/json", "application/x-www-form-urlencoded"}) {
    auto own = http_post(port, "/translate",
                         R"({"text": "The cat is black.",
                             "source_language": "en",
                             "target_language": "es"})",
                         type);
    REQUIRE(own.status == 200);
    CHECK(json::parse(own.body).contains("translated_text"));
  }
  auto labelled = http_post(port, "/translate",
                            R"({"q": "The cat.", "source": "en",
                                "target": "es"})",
                            "application/x-www-form-urlencoded");
  REQUIRE(labelled.status == 200);
  CHECK(json::parse(labelled.body).contains("translatedText"));
}

TEST_CASE("LibreTranslate's errors are {error} with its statuses",
          "[io][http][libretranslate]") {
  server_process server;
  auto port = server.http_port;
  auto no_target = http_post(port, "/translate", R"({"q": "hello"})");
  CHECK(no_target.status == 400);
  CHECK_THAT(json::parse(no_target.body)["error"].get<std::string>(),
             Catch::Contains("target"));
  auto no_q = http_post(port, "/translate", "target=es",
                        "application/x-www-form-urlencoded");
  CHECK(no_q.status == 400);
  CHECK_THAT(json::parse(no_q.body)["error"].get<std::string>(),
             Catch::Contains("q"));
  auto broken = http_post(port, "/translate", "q=%ZZ&target=es",
                          "application/x-www-form-urlencoded");
  CHECK(broken.status == 400);
  auto bad_format = http_post(
      port, "/translate", R"({"q": "hi", "target": "es", "format": "pdf"})");
  CHECK(bad_format.status == 400);
  auto unsupported = http_post(
      port, "/translate", R"({"q": "hi", "source": "en", "target": "xx"})");
  CHECK(unsupported.status == 400);
  CHECK(json::parse(unsupported.body).contains("error"));
  // The server goes on serving.
  CHECK(http_get(port, "/live").status == 200);
}

TEST_CASE("LibreTranslate's detect, languages and settings",
          "[io][http][libretranslate]") {
  server_process server;
  auto port = server.http_port;
  auto detect =
      http_post(port, "/detect", "q=Le+chat+est+noir+et+le+chien+est+grand.",
                "application/x-www-form-urlencoded");
  REQUIRE(detect.status == 200);
  auto guesses = json::parse(detect.body);
  REQUIRE(guesses.is_array());
  REQUIRE_FALSE(guesses.empty());
  CHECK(guesses[0]["language"] == "fr");
  // Parley's own body still gets Parley's answer.
  auto own = json::parse(
      http_post(port, "/detect", R"({"text": "Le chat est noir."})").body);
  CHECK(own.contains("method"));

  auto languages = json::parse(http_get(port, "/languages").body);
  REQUIRE(languages.is_array());
  bool english_to_spanish = false;
  for (const auto& language : languages) {
    CHECK(language["name"].is_string());
    if (language["code"] == "en") {
      CHECK(language["name"] == "English");
      for (const auto& target : language["targets"])
        english_to_spanish = english_to_spanish || target == "es";
    }
  }
  CHECK(english_to_spanish);

  auto settings = json::parse(http_get(port, "/frontend/settings").body);
  CHECK(settings["charLimit"].get<int>() > 0);
  CHECK(settings["keyRequired"] == false);
  CHECK(settings["language"]["source"]["code"] == "auto");
  CHECK(settings["language"]["target"]["code"] == "es");
}

TEST_CASE("Accept-Language is read as hints, most preferred first",
          "[io][http]") {
  CHECK(accept_language_hints("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
        == std::vector<std::string>{"fr-CH", "fr", "en"});
  CHECK(accept_language_hints("en;q=0.2,de")
        == std::vector<std::string>{"de", "en"});
  CHECK(accept_language_hints("es;q=0").empty());
  CHECK(accept_language_hints("").empty());
}

TEST_CASE("LibreTranslate's detect decides a short message among the "
          "candidates, lists them, and takes Accept-Language as a hint",
          "[io][http][libretranslate]") {
  server_process server;
  httplib::Client client{"127.0.0.1", server.http_port};
  auto italian = client.Post("/detect", "q=grazie+mille",
                             "application/x-www-form-urlencoded");
  REQUIRE(italian);
  REQUIRE(italian->status == 200);
  auto guesses = json::parse(italian->body);
  REQUIRE(guesses.is_array());
  REQUIRE(guesses.size() >= 2);
  CHECK(guesses.size() <= 3);
  CHECK(guesses[0]["language"] == "it");
  for (const auto& guess : guesses) {
    CHECK(guess["confidence"].get<double>() >= 0);
    CHECK(guess["confidence"].get<double>() <= 100);
  }
  CHECK(guesses[0]["confidence"].get<double>()
        >= guesses[1]["confidence"].get<double>());

  httplib::Headers french{{"Accept-Language", "fr-CH, fr;q=0.9, en;q=0.5"}};
  auto ok = client.Post("/detect", french, "q=ok",
                        "application/x-www-form-urlencoded");
  REQUIRE(ok);
  CHECK(json::parse(ok->body)[0]["language"] == "fr");
  auto bare =
      client.Post("/detect", "q=ok", "application/x-www-form-urlencoded");
  REQUIRE(bare);
  CHECK(json::parse(bare->body)[0]["language"] == "en");
}
