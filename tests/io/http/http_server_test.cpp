#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"

using namespace parley::test;
using nlohmann::json;

TEST_CASE("the HTTP endpoints report health, readiness, metrics and stats",
          "[io]") {
  server_process server;
  auto live = http_get(server.http_port, "/live");
  CHECK(live.status == 200);
  auto ready = http_get(server.http_port, "/ready");
  CHECK(ready.status == 200);
  CHECK(json::parse(ready.body)["ready"] == true);
  auto health = json::parse(http_get(server.http_port, "/health").body);
  CHECK(health["status"] == "ok");
  CHECK(health["version"].get<std::string>().find("parley") == 0);

  auto translated = http_post(server.http_port, "/translate",
                              R"({"text": "The cat is black.",
                                  "source_language": "en",
                                  "target_language": "es",
                                  "model_type": "basic"})");
  REQUIRE(translated.status == 200);
  auto body = json::parse(translated.body);
  CHECK_THAT(lower(body["translated_text"]), Catch::Contains("gato"));
  CHECK(body["model"] == "apertium");
  CHECK(body["from_cache"] == false);
  auto again = json::parse(http_post(server.http_port, "/translate",
                                     R"({"text": "The cat is black.",
                                         "source_language": "en",
                                         "target_language": "es"})")
                               .body);
  CHECK(again["from_cache"] == true);

  auto metrics = http_get(server.http_port, "/metrics");
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.content_type, Catch::Contains("text/plain"));
  CHECK_THAT(metrics.body,
             Catch::Contains("parley_requests_total{type=\"translation\","
                             "outcome=\"completed\"} 2"));
  CHECK_THAT(metrics.body, Catch::Contains("parley_cache_hits_total 1"));
  CHECK_THAT(metrics.body, Catch::Contains("parley_cache_misses_total 1"));
  CHECK_THAT(metrics.body,
             Catch::Contains("# TYPE parley_cache_hits_total counter"));
  CHECK_THAT(metrics.body,
             Catch::Contains("parley_model_queue_depth{model=\"apertium\"} 0"));
  CHECK_THAT(metrics.body,
             Catch::Contains(
                 "parley_model_inference_seconds_total{model=\"apertium\"}"));
  CHECK_THAT(metrics.body, Catch::Contains("parley_handlers_active 0"));
  auto stats = json::parse(http_get(server.http_port, "/stats").body);
  CHECK(stats["ready"] == true);
  CHECK(stats["metrics"]["cache_hits_total"] == 1);
}

TEST_CASE("HTTP translate errors carry a status and an error code", "[io]") {
  server_process server;
  auto unsupported = http_post(server.http_port, "/translate",
                               R"({"text": "Hello", "source_language": "en",
                                   "target_language": "ja"})");
  CHECK(unsupported.status == 400);
  CHECK(json::parse(unsupported.body)["errorCode"] == "UNSUPPORTED_LANGUAGE");
  auto malformed = http_post(server.http_port, "/translate", "{nope");
  CHECK(malformed.status == 400);
  CHECK(json::parse(malformed.body)["errorCode"] == "INVALID_REQUEST");
  auto missing = http_post(server.http_port, "/translate", R"({"text": "x"})");
  CHECK(missing.status == 400);
  auto empty = http_post(server.http_port, "/translate",
                         R"({"text": "", "source_language": "en",
                             "target_language": "es"})");
  CHECK(empty.status == 400);
  CHECK(json::parse(empty.body)["errorCode"] == "INVALID_REQUEST");
}

TEST_CASE("HTTP lists the languages of every model", "[io]") {
  server_process server;
  auto reply = http_get(server.http_port, "/languages?view=models");
  REQUIRE(reply.status == 200);
  auto body = json::parse(reply.body);
  const auto& pairs = body["models"]["apertium"]["pairs"];
  bool direct = false;
  bool pivot = false;
  for (const auto& pair : pairs) {
    if (pair["source"] == "en" && pair["target"] == "es")
      direct = pair["via"] == json{"en", "es"};
    if (pair["source"] == "fr" && pair["target"] == "en")
      pivot = pair["via"] == json{"fr", "es", "en"};
  }
  CHECK(direct);
  CHECK(pivot);
  CHECK(body["routes"]["premium"] == "apertium");
}

TEST_CASE("readiness stays false while a model has no loaded replica", "[io]") {
  server_process server{"[models.broken]\nkind = \"apertium\"\n"
                        "apertium = \"/nonexistent/apertium\"\n"
                        "max_failed_starts = 1\n"};
  auto ready = http_get(server.http_port, "/ready");
  CHECK(ready.status == 503);
  CHECK(json::parse(ready.body)["ready"] == false);
  CHECK(http_get(server.http_port, "/live").status == 200);
  CHECK(json::parse(http_get(server.http_port, "/health").body)["status"]
        == "loading");
  auto metrics = http_get(server.http_port, "/metrics").body;
  CHECK_THAT(metrics,
             Catch::Contains("parley_model_unavailable{model=\"broken\"} 1"));
  auto refused = http_post(server.http_port, "/translate",
                           R"({"text": "Hello", "source_language": "en",
                               "target_language": "es"})");
  CHECK(refused.status == 503);
  CHECK(json::parse(refused.body)["errorCode"] == "MODEL_UNAVAILABLE");
}
