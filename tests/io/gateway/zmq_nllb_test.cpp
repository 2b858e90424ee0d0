// parleyd serving the tiny NLLB checkpoint over ZMQ, end to end.

#include <catch2/catch.hpp>

#include "tests/support/nllb_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

TEST_CASE("parleyd serves an NLLB checkpoint over ZMQ", "[io]") {
  server_process server{"[models.nllb]\nkind = \"nllb\"\npath = \""
                        + tiny_nllb_dir()
                        + "\"\nmax_new_tokens = 8\nquantize = \"int8\"\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(json{{"type", "translation"},
                   {"taskId", "n-1"},
                   {"messageId", "m-1"},
                   {"text", "Hello world. See https://example.com"},
                   {"sourceLanguage", "en"},
                   {"targetLanguages", {"fr", "de", "ja"}},
                   {"modelType", "premium"}});
  std::map<std::string, json> events;
  while (events.size() < 3) {
    auto event = client.receive();
    REQUIRE_FALSE(event.is_null());
    events[event["targetLanguage"]] = event;
  }
  for (auto lang : {"fr", "de"}) {
    INFO(lang);
    CHECK(events[lang]["type"] == "translation_completed");
    CHECK(events[lang]["result"]["translatorModel"] == "nllb");
    CHECK_THAT(events[lang]["result"]["translatedText"].get<std::string>(),
               Catch::Contains("https://example.com"));
  }
  CHECK(events["ja"]["type"] == "translation_error");
  CHECK(events["ja"]["errorCode"] == "UNSUPPORTED_LANGUAGE");
  CHECK_THAT(server.log(), Catch::Contains("loading"));
}
