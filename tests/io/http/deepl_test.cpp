// DeepL's API v2 on a real parleyd with the embedded Apertium model, as
// DeepL's clients send it: form bodies with repeated `text`, JSON lists,
// regional target codes.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"

using namespace parley::test;
using nlohmann::json;

TEST_CASE("DeepL's translate answers form and JSON bodies, text by text",
          "[io][http][deepl]") {
  server_process server;
  auto port = server.http_port;
  auto form = http_post(port, "/v2/translate",
                        "text=The+cat+is+black.&text=The+dog+is+big."
                        "&target_lang=ES&formality=more&split_sentences=1",
                        "application/x-www-form-urlencoded");
  REQUIRE(form.status == 200);
  auto body = json::parse(form.body);
  REQUIRE(body["translations"].size() == 2);
  CHECK_THAT(lower(body["translations"][0]["text"]), Catch::Contains("gato"));
  CHECK_THAT(lower(body["translations"][1]["text"]), Catch::Contains("perro"));
  CHECK(body["translations"][0]["detected_source_language"] == "EN");

  auto listed =
      http_post(port, "/v2/translate",
                R"({"text": ["Le chat est noir et le chien est grand."],
                              "target_lang": "EN-US", "source_lang": "FR",
                              "tag_handling": "html", "glossary_id": "x"})");
  REQUIRE(listed.status == 200);
  auto english = json::parse(listed.body)["translations"];
  REQUIRE(english.size() == 1);
  CHECK_THAT(lower(english[0]["text"]), Catch::Contains("cat"));
  CHECK(english[0]["detected_source_language"] == "FR");

  auto usage = json::parse(http_get(port, "/v2/usage").body);
  // Characters of the three texts above.
  CHECK(usage["character_count"] == 17 + 15 + 39);
  CHECK(usage["character_limit"].get<uint64_t>() > 0);
}

TEST_CASE("DeepL's languages and errors", "[io][http][deepl]") {
  server_process server;
  auto port = server.http_port;
  auto sources = json::parse(http_get(port, "/v2/languages").body);
  REQUIRE(sources.is_array());
  bool english = false;
  for (const auto& language : sources)
    english = english || language["language"] == "EN";
  CHECK(english);
  auto targets = json::parse(http_post(port, "/v2/languages", "type=target",
                                       "application/x-www-form-urlencoded")
                                 .body);
  std::set<std::string> codes;
  for (const auto& language : targets) {
    CHECK(language.contains("supports_formality"));
    codes.insert(language["language"].get<std::string>());
  }
  CHECK(codes.count("EN-US") == 1);
  CHECK(codes.count("EN-GB") == 1);
  CHECK(codes.count("ES") == 1);
  CHECK(codes.count("EN") == 0);

  auto no_text = http_post(port, "/v2/translate", "target_lang=ES",
                           "application/x-www-form-urlencoded");
  CHECK(no_text.status == 400);
  CHECK(json::parse(no_text.body).contains("message"));
  auto no_target = http_post(port, "/v2/translate", R"({"text": ["hi"]})");
  CHECK(no_target.status == 400);
  auto unsupported = http_post(port, "/v2/translate",
                               R"({"text": ["hi"], "source_lang": "EN",
                                   "target_lang": "JA"})");
  CHECK(unsupported.status == 400);
  CHECK(json::parse(unsupported.body).contains("message"));
  CHECK(http_get(port, "/v2/languages?type=other").status == 400);
  CHECK(http_get(port, "/live").status == 200);
}

TEST_CASE("DeepL's translate takes Accept-Language as the hint of a short "
          "text, and names the source without a region",
          "[io][http][deepl]") {
  server_process server;
  httplib::Client client{"127.0.0.1", server.http_port};
  httplib::Headers brazilian{{"Accept-Language", "pt-BR"}};
  auto hinted =
      client.Post("/v2/translate", brazilian, "text=ok&target_lang=ES",
                  "application/x-www-form-urlencoded");
  REQUIRE(hinted);
  REQUIRE(hinted->status == 200);
  CHECK(json::parse(hinted->body)["translations"][0]["detected_source_language"]
        == "PT");
  auto bare = client.Post("/v2/translate", "text=ok&target_lang=ES",
                          "application/x-www-form-urlencoded");
  REQUIRE(bare);
  CHECK(json::parse(bare->body)["translations"][0]["detected_source_language"]
        == "EN");
}
