// The session's text tasks and stories on CAF's test coordinator, between
// test doubles for the router and the publisher (tests/support/session_world):
// requests stepped by hand, the router's answers sent when the test says, and
// the router's requests and the published events checked in order.

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/error_code.hpp"
#include "tests/support/session_world.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("a translation to three languages is published per language in the "
          "order the router answers",
          "[io][session]") {
  session_world world;
  world.send(text_task("t-1", {"es", "fr", "de"}));
  world.ds.run();
  auto request = world.expect_text_request({"es", "fr", "de"});
  CHECK(request.text == "hello");
  CHECK(request.source_lang == "en");
  world.requests->expect_nothing_more();
  world.events->expect_nothing_more();
  world.answer(translated(request.id, "fr", "bonjour"));
  world.answer(translated(request.id, "de", "hallo"));
  world.answer(translated(request.id, "es", "hola"));
  world.answer(translation_done{request.id, 3, 0});
  world.ds.run();
  for (auto [lang, text] :
       {std::pair{"fr", "bonjour"}, std::pair{"de", "hallo"},
        std::pair{"es", "hola"}}) {
    auto event = world.expect_event("translation_completed", lang);
    CHECK(event["taskId"] == "t-1");
    CHECK(event["messageId"] == "m-t-1");
    CHECK(event["result"]["translatedText"] == text);
  }
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
  CHECK(world.stats().values["gateway_tasks_active"] == 0);
}

TEST_CASE("a task re-sent while in flight is computed once and answered once",
          "[io][session]") {
  session_world world;
  world.send(text_task("t-1", {"es", "fr"}));
  world.ds.run();
  auto first = world.expect_text_request({"es", "fr"});
  // The gateway's 30 s retry, the same languages: the request in flight
  // answers them, and the router hears nothing new.
  world.send(text_task("t-1", {"es", "fr"}));
  world.ds.run();
  world.requests->expect_nothing_more();
  // Again, with one language it did not ask before: only that one goes on.
  world.send(text_task("t-1", {"fr", "de"}));
  world.ds.run();
  auto second = world.expect_text_request({"de"});
  world.requests->expect_nothing_more();
  CHECK(world.stats().values["gateway_resent_merged_total"] == 2);
  world.answer(translated(first.id, "es", "hola"));
  world.answer(translated(second.id, "de", "hallo"));
  world.answer(translated(first.id, "fr", "bonjour"));
  world.answer(translation_done{first.id, 2, 0});
  world.answer(translation_done{second.id, 1, 0});
  world.ds.run();
  for (auto lang : {"es", "de", "fr"})
    CHECK(world.expect_event("translation_completed", lang)["taskId"] == "t-1");
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
}

TEST_CASE("a language that is ready is published before slower ones finish",
          "[io][session]") {
  session_world world;
  world.send(text_task("t-2", {"es", "fr"}));
  world.ds.run();
  auto request = world.expect_text_request({"es", "fr"});
  world.answer(translated(request.id, "es", "hola", /*from_cache=*/true));
  world.ds.run();
  CHECK(world.expect_event("translation_completed", "es")["result"]["fromCache"]
        == true);
  // fr is still being computed: nothing waits for it.
  world.events->expect_nothing_more();
  world.answer(translated(request.id, "fr", "bonjour"));
  world.answer(translation_done{request.id, 2, 0});
  world.ds.run();
  CHECK(world.expect_event("translation_completed", "fr")["result"]["fromCache"]
        == false);
  world.events->expect_nothing_more();
}

TEST_CASE("a story object answers once with its languages and the failures",
          "[io][session]") {
  session_world world;
  world.send({{"type", "story_text_object_translation"},
              {"postId", "p-1"},
              {"textObjectIndex", 2},
              {"text", "a story"},
              {"sourceLanguage", "en"},
              {"targetLanguages", {"es", "fr", "de"}}});
  world.ds.run();
  auto request = world.expect_text_request({"es", "fr", "de"});
  world.answer(translated(request.id, "es", "una historia"));
  world.answer(translation_failure{
      request.id, "de", make_error(error_code::translation_failed, "probe")});
  world.answer(translated(request.id, "fr", "une histoire"));
  world.ds.run();
  // Nothing goes out before the request is done.
  world.events->expect_nothing_more();
  world.answer(translation_done{request.id, 2, 1});
  world.ds.run();
  auto story = world.expect_event("story_text_object_translation_completed");
  CHECK(story["postId"] == "p-1");
  CHECK(story["textObjectIndex"] == 2);
  CHECK(story["translations"]
        == json({{"es", "una historia"}, {"fr", "une histoire"}}));
  CHECK(story["errors"]["de"]["errorCode"] == "TRANSLATION_FAILED");
  CHECK(story["errors"].size() == 1);
  world.events->expect_nothing_more();
}

TEST_CASE("a story object whose every language fails answers once with the "
          "failures",
          "[io][session]") {
  session_world world;
  world.send({{"type", "story_text_object_translation"},
              {"postId", "p-1"},
              {"textObjectIndex", 2},
              {"text", "fail this one"},
              {"sourceLanguage", "en"},
              {"targetLanguages", {"es"}}});
  world.ds.run();
  auto request = world.expect_text_request({"es"});
  world.answer(translation_failure{
      request.id, "es", make_error(error_code::translation_failed, "probe")});
  world.answer(translation_done{request.id, 0, 1});
  world.ds.run();
  auto story = world.expect_event("story_text_object_translation_completed");
  CHECK(story["postId"] == "p-1");
  CHECK(story["textObjectIndex"] == 2);
  CHECK(story["translations"].empty());
  CHECK(story["errors"]["es"]["errorCode"] == "TRANSLATION_FAILED");
  world.events->expect_nothing_more();
}

TEST_CASE("a translation naming no target language gets one INVALID_REQUEST "
          "error",
          "[io][session]") {
  session_world world;
  world.send(text_task("t-3", {}));
  world.ds.run();
  // It goes on to the router, which refuses it as a whole.
  auto request = world.expect_text_request({});
  world.answer(translation_failure{
      request.id, "",
      make_error(error_code::invalid_request, "no target language given")});
  world.answer(translation_done{request.id, 0, 1});
  world.ds.run();
  auto error = world.expect_event("translation_error");
  CHECK(error["taskId"] == "t-3");
  CHECK(error["targetLanguage"] == "");
  CHECK(error["errorCode"] == "INVALID_REQUEST");
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
}
