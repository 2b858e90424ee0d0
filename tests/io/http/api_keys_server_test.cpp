// API keys on a real parleyd with the embedded Apertium model: each API's
// carrier of the key, each API's refusal, and a limit answered 429.

#include <catch2/catch.hpp>

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/server_process.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

const std::string keys_config = R"([[http.api_keys]]
key = "good"

[[http.api_keys]]
key = "limited"
requests_per_minute = 2

[[http.api_keys]]
key = "quota"
characters_per_day = 40
)";

const std::string form = "application/x-www-form-urlencoded";

struct keyed_reply {
  int status = 0;
  json body;
  std::string retry_after;
};

/// POSTs `body` with `authorization` (none when empty).
keyed_reply post(uint16_t port, const std::string& path,
                 const std::string& body, const std::string& authorization = "",
                 const std::string& type = "application/json") {
  httplib::Client client{"127.0.0.1", port};
  httplib::Headers headers;
  if (!authorization.empty())
    headers.emplace("Authorization", authorization);
  auto res = client.Post(path.c_str(), headers, body, type.c_str());
  if (!res)
    return {};
  return {res->status, json::parse(res->body, nullptr, false),
          res->get_header_value("Retry-After")};
}

std::string lt_body(const std::string& key) {
  return json{{"q", "The cat is black."},
              {"source", "en"},
              {"target", "es"},
              {"api_key", key}}
      .dump();
}

const std::string deepl_body = "text=The+cat+is+black.&target_lang=ES";
const std::string parley_body =
    R"({"text": "The cat is black.", "source_language": "en",
        "target_language": "es"})";

} // namespace

TEST_CASE("with no keys configured any key or none is accepted",
          "[io][http][keys]") {
  server_process server;
  auto port = server.http_port;
  CHECK(post(port, "/translate", lt_body("anything")).status == 200);
  CHECK(post(port, "/v2/translate", deepl_body, "DeepL-Auth-Key x:fx", form)
            .status
        == 200);
  CHECK(post(port, "/translate", parley_body, "Bearer whatever").status == 200);
  CHECK(post(port, "/translate", parley_body).status == 200);
  auto settings = json::parse(http_get(port, "/frontend/settings").body);
  CHECK(settings["keyRequired"] == false);
}

TEST_CASE("configured keys are refused or accepted in each API's shape",
          "[io][http][keys]") {
  server_process server{keys_config};
  auto port = server.http_port;

  // LibreTranslate: `api_key` in a JSON, form or multipart body; 403 {error}.
  auto lt_wrong = post(port, "/translate", lt_body("bad"));
  CHECK(lt_wrong.status == 403);
  CHECK(lt_wrong.body.contains("error"));
  CHECK(post(port, "/translate", lt_body("")).status == 403);
  CHECK(post(port, "/detect", R"({"q": "The cat is black."})").status == 403);
  CHECK(post(port, "/translate", lt_body("good")).status == 200);
  CHECK(post(port, "/translate",
             "q=The+cat+is+black.&source=en&target=es&api_key=good", "", form)
            .status
        == 200);
  auto settings = json::parse(http_get(port, "/frontend/settings").body);
  CHECK(settings["keyRequired"] == true);

  // DeepL: the Authorization header or the legacy `auth_key`; 403 {message}.
  auto deepl_wrong =
      post(port, "/v2/translate", deepl_body, "DeepL-Auth-Key bad", form);
  CHECK(deepl_wrong.status == 403);
  CHECK(deepl_wrong.body.contains("message"));
  CHECK(post(port, "/v2/translate", deepl_body, "", form).status == 403);
  CHECK(post(port, "/v2/translate", deepl_body, "DeepL-Auth-Key good", form)
            .status
        == 200);
  CHECK(post(port, "/v2/translate", deepl_body + "&auth_key=good", "", form)
            .status
        == 200);
  CHECK(http_get(port, "/v2/usage").status == 403);

  // Parley's own routes: Bearer; 401 {error, errorCode}.
  auto own_wrong = post(port, "/translate", parley_body, "Bearer bad");
  CHECK(own_wrong.status == 401);
  CHECK(own_wrong.body["errorCode"] == "UNAUTHORIZED");
  CHECK(post(port, "/translate", parley_body).status == 401);
  CHECK(post(port, "/translate", parley_body, "Bearer good").status == 200);
  CHECK(post(port, "/detect", R"({"text": "The cat is black."})", "Bearer good")
            .status
        == 200);

  auto metrics = http_get(port, "/metrics").body;
  CHECK_THAT(
      metrics,
      Catch::Contains(
          R"(parley_http_api_key_refusals_total{reason="unknown_key"} 3)"));
  CHECK_THAT(
      metrics,
      Catch::Contains(
          R"(parley_http_api_key_refusals_total{reason="missing_key"} 5)"));
}

TEST_CASE("a key over its limits is answered 429 with Retry-After",
          "[io][http][keys]") {
  server_process server{keys_config};
  auto port = server.http_port;

  // Two requests a minute, whichever API they go through.
  CHECK(post(port, "/translate", lt_body("limited")).status == 200);
  CHECK(post(port, "/translate", parley_body, "Bearer limited").status == 200);
  auto lt = post(port, "/translate", lt_body("limited"));
  CHECK(lt.status == 429);
  CHECK(lt.body.contains("error"));
  auto deepl =
      post(port, "/v2/translate", deepl_body, "DeepL-Auth-Key limited", form);
  CHECK(deepl.status == 429);
  CHECK(deepl.body.contains("message"));
  auto own = post(port, "/translate", parley_body, "Bearer limited");
  CHECK(own.status == 429);
  CHECK(own.body["errorCode"] == "RATE_LIMITED");
  for (const auto* reply : {&lt, &deepl, &own}) {
    auto seconds =
        std::stoi(reply->retry_after.empty() ? "0" : reply->retry_after);
    CHECK(seconds >= 1);
    CHECK(seconds <= 60);
  }
  // Another key is not held back.
  CHECK(post(port, "/translate", lt_body("good")).status == 200);

  // 40 characters a day: 17 pass, then 17 more, then the day is spent.
  CHECK(post(port, "/v2/translate", deepl_body, "DeepL-Auth-Key quota", form)
            .status
        == 200);
  auto usage = post(port, "/v2/usage", "", "DeepL-Auth-Key quota", form);
  REQUIRE(usage.status == 200);
  CHECK(usage.body["character_count"] == 17);
  CHECK(usage.body["character_limit"] == 40);
  CHECK(post(port, "/translate", parley_body, "Bearer quota").status == 200);
  auto spent =
      post(port, "/v2/translate", deepl_body, "DeepL-Auth-Key quota", form);
  CHECK(spent.status == 429);
  auto seconds = std::stoi(spent.retry_after.empty() ? "0" : spent.retry_after);
  CHECK(seconds >= 1);
  CHECK(seconds <= 24 * 3600);
}
