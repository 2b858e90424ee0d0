// Markup through the public APIs of a real parleyd with embedded Apertium:
// Mastodon's HTML statuses through LibreTranslate, DeepL's tag handling,
// Parley's own format field. Tags come back byte for byte.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("every API keeps markup byte for byte", "[io][http][markup]") {
  server_process server;
  auto port = server.http_port;

  // A Mastodon status as its LibreTranslate service sends it.
  std::string status =
      R"(<p>The cat is black. <a href="https://example.social/@ana" )"
      R"(class="u-url mention">@<span>ana</span></a> look at )"
      R"(<a href="https://example.social/tags/urgent" rel="tag">#<span>)"
      R"(urgent</span></a></p><p>The house is red.</p>)";
  auto lt = http_post(port, "/translate",
                      json{{"q", {status}},
                           {"source", "auto"},
                           {"target", "es"},
                           {"format", "html"}}
                          .dump());
  REQUIRE(lt.status == 200);
  std::string text = json::parse(lt.body)["translatedText"][0];
  INFO(text);
  for (const char* tag :
       {R"(<a href="https://example.social/@ana" class="u-url mention">)",
        R"(<a href="https://example.social/tags/urgent" rel="tag">)",
        "<span>ana</span>", "<span>urgent</span>", "<span>", "</span>", "</a>",
        "<p>", "</p>"})
    CHECK(occurrences(text, tag) == occurrences(status, tag));
  CHECK_THAT(lower(text), Catch::Contains("gato"));
  CHECK_THAT(lower(text), Catch::Contains("casa"));

  // Without format: html, a tag is text to LibreTranslate too, but the
  // chat layer still keeps URLs, hashtags and code.
  auto chat = http_post(port, "/translate",
                        R"({"q": "Run `npm install` now #urgent",
                            "source": "en", "target": "es"})");
  REQUIRE(chat.status == 200);
  std::string said = json::parse(chat.body)["translatedText"];
  CHECK(occurrences(said, "`npm install`") == 1);
  CHECK(occurrences(said, "#urgent") == 1);

  // DeepL: tag_handling and ignore_tags, as a form.
  auto deepl = http_post(
      port, "/v2/translate",
      "text=%3Cp%3EThe+cat+%3Cb%3Eis%3C%2Fb%3E+black.%3Ckeep%3EThe+dog%3C%2F"
      "keep%3E%3C%2Fp%3E&target_lang=ES&tag_handling=html&ignore_tags=keep",
      "application/x-www-form-urlencoded");
  REQUIRE(deepl.status == 200);
  std::string html = json::parse(deepl.body)["translations"][0]["text"];
  INFO(html);
  CHECK(occurrences(html, "<keep>The dog</keep>") == 1);
  CHECK(occurrences(html, "<b>") == 1);
  CHECK(occurrences(html, "</b>") == 1);
  CHECK(html.rfind("<p>", 0) == 0);
  CHECK_THAT(lower(html), Catch::Contains("gato"));
  CHECK(http_post(port, "/v2/translate",
                  R"({"text": ["x"], "target_lang": "ES",
                      "tag_handling": "latex"})")
            .status
        == 400);

  // Parley's own route takes a format too.
  auto own = http_post(port, "/translate",
                       R"({"text": "<i>The cat</i> is black.",
                           "target_language": "es", "source_language": "en",
                           "format": "html"})");
  REQUIRE(own.status == 200);
  std::string translated = json::parse(own.body)["translated_text"];
  CHECK(occurrences(translated, "<i>") == 1);
  CHECK(occurrences(translated, "</i>") == 1);
}
