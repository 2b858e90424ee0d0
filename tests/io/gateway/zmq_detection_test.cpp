// sourceLanguage "auto" over the gateway protocol and HTTP, with parleyd as a
// real process, real ZMQ sockets and the real Apertium pairs. Expected words
// are known translations, not outputs recorded from Parley.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

const std::string french = "Le chat est noir et le chien est très grand, mais "
                           "ils sont amis depuis toujours.";
const std::string german = "Wir haben gestern den ganzen Tag im Garten "
                           "gearbeitet und am Abend zusammen gegrillt.";

json next(zmq_client& client, const std::string& type, const json& task) {
  return client.receive_until([&](const json& event) {
    return event.value("type", "") == type
           && event.value("taskId", json{}) == task;
  });
}

json translation(const std::string& task, const std::string& text,
                 std::vector<std::string> targets,
                 const std::string& source = "auto") {
  return {{"type", "translation"},      {"taskId", task},
          {"messageId", "m-" + task},   {"text", text},
          {"sourceLanguage", source},   {"targetLanguages", targets},
          {"conversationId", "conv-1"}, {"modelType", "basic"}};
}

} // namespace

TEST_CASE("a French text sent as auto is translated to Spanish and the event "
          "names French",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(translation("auto-fr", french, {"es"}));
  auto done = next(client, "translation_completed", "auto-fr");
  REQUIRE_FALSE(done.is_null());
  const auto& result = done["result"];
  CHECK_THAT(lower(result["translatedText"]),
             Catch::Contains("gato") && Catch::Contains("perro"));
  CHECK(result["sourceLanguage"] == "fr");
  CHECK(result["detectedLanguage"] == "fr");
  CHECK(result["detectionMethod"] == "detector");
  REQUIRE(result["detectionConfidence"].is_number());
  CHECK(result["detectionConfidence"] >= 0.5);
  CHECK(result["detectionConfidence"] <= 1.0);
  CHECK(result["route"] == json{"fr", "es"});
  CHECK(result["fromCache"] == false);

  // Detection happened before the cache: the same text named as French is a
  // hit, and names no detection.
  client.send(translation("named-fr", french, {"es"}, "fr"));
  auto cached = next(client, "translation_completed", "named-fr");
  REQUIRE_FALSE(cached.is_null());
  CHECK(cached["result"]["fromCache"] == true);
  CHECK(cached["result"]["sourceLanguage"] == "fr");
  CHECK_FALSE(cached["result"].contains("detectedLanguage"));
}

TEST_CASE("a detected language the model cannot translate is refused naming "
          "it, per target",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(translation("auto-de", german, {"es", "de"}));
  // German to German needs no model and is answered first, at once.
  auto same = next(client, "translation_completed", "auto-de");
  REQUIRE_FALSE(same.is_null());
  CHECK(same["targetLanguage"] == "de");
  CHECK(same["result"]["translatedText"] == german);
  CHECK(same["result"]["detectedLanguage"] == "de");
  auto refused = next(client, "translation_error", "auto-de");
  REQUIRE_FALSE(refused.is_null());
  CHECK(refused["targetLanguage"] == "es");
  CHECK(refused["errorCode"] == "UNSUPPORTED_LANGUAGE");
  CHECK_THAT(refused["error"].get<std::string>(),
             Catch::Contains("detected source language 'de'"));
}

TEST_CASE("a short text follows the request's userLanguage hint and says so",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  auto request = translation("hint-1", "ok", {"fr"});
  request["userLanguage"] = "es";
  client.send(request);
  auto done = next(client, "translation_completed", "hint-1");
  REQUIRE_FALSE(done.is_null());
  CHECK(done["result"]["sourceLanguage"] == "es");
  CHECK(done["result"]["detectionMethod"] == "hint");
  CHECK(done["result"]["route"] == json{"es", "fr"});
}

TEST_CASE("a story object without a source language is detected", "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(json{{"type", "story_text_object_translation"},
                   {"postId", "p-1"},
                   {"textObjectIndex", 0},
                   {"text", french},
                   {"targetLanguages", {"es", "ca"}}});
  auto story = client.receive_until([](const json& event) {
    return event["type"] == "story_text_object_translation_completed";
  });
  REQUIRE_FALSE(story.is_null());
  REQUIRE(story["translations"].size() == 2);
  CHECK_THAT(lower(story["translations"]["es"]), Catch::Contains("gato"));
  CHECK_THAT(lower(story["translations"]["ca"]), Catch::Contains("gat"));
  CHECK(story["sourceLanguage"] == "fr");
  CHECK(story["detectedLanguage"] == "fr");
}

TEST_CASE("HTTP detects with POST /detect and translates without a source",
          "[io]") {
  server_process server;
  auto detected =
      http_post(server.http_port, "/detect", json{{"text", german}}.dump());
  REQUIRE(detected.status == 200);
  auto body = json::parse(detected.body);
  CHECK(body["language"] == "de");
  CHECK(body["method"] == "detector");
  CHECK(body["reliable"] == true);
  CHECK(body["script"] == "Latin");
  REQUIRE(body["candidates"].is_array());
  REQUIRE_FALSE(body["candidates"].empty());
  CHECK(body["candidates"][0]["language"] == "de");

  // The old service's route name answers the same.
  auto old_name =
      json::parse(http_post(server.http_port, "/detect-language",
                            json{{"text", "😂😂"}, {"hints", {"pt"}}}.dump())
                      .body);
  CHECK(old_name["language"] == "pt");
  CHECK(old_name["method"] == "hint");

  auto undetermined = json::parse(
      http_post(server.http_port, "/detect", json{{"text", "👍"}}.dump()).body);
  CHECK(undetermined["language"].is_null());
  CHECK(undetermined["method"] == "undetermined");

  auto bad = http_post(server.http_port, "/detect", R"({"txt": 1})");
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["errorCode"] == "INVALID_REQUEST");

  auto translated =
      http_post(server.http_port, "/translate",
                json{{"text", french}, {"target_language", "es"}}.dump());
  REQUIRE(translated.status == 200);
  auto answer = json::parse(translated.body);
  CHECK_THAT(lower(answer["translated_text"]), Catch::Contains("gato"));
  CHECK(answer["source_language"] == "fr");
  CHECK(answer["detected_language"] == "fr");
  CHECK(answer["detection_method"] == "detector");
  CHECK(answer["detection_confidence"] >= 0.5);

  // Parley's own /translate takes the conversation too: "ok" after a French
  // message in it is French.
  auto in_conversation = [&](const std::string& text) {
    return json::parse(http_post(server.http_port, "/translate",
                                 json{{"text", text},
                                      {"target_language", "es"},
                                      {"conversation_id", "http-conv"}}
                                     .dump())
                           .body);
  };
  CHECK(in_conversation("merci beaucoup")["detected_language"] == "fr");
  auto ok = in_conversation("ok");
  CHECK(ok["detected_language"] == "fr");
  CHECK(ok["detection_method"] == "conversation");
  auto bad_id = http_post(
      server.http_port, "/translate",
      json{{"text", "ok"}, {"target_language", "es"}, {"conversation_id", 12}}
          .dump());
  CHECK(bad_id.status == 400);
}

TEST_CASE("the transcript of an audio_process in an unknown language is "
          "detected before it is translated",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  // The phone's transcription names no language, and neither does the
  // request: the text is what tells.
  json audio{{"type", "audio_process"},
             {"taskId", "voice-1"},
             {"messageId", "m-voice"},
             {"attachmentId", "a-voice"},
             {"conversationId", "c-1"},
             {"senderId", "u-1"},
             {"audioMimeType", "audio/wav"},
             {"binaryFrames", {{"audio", 1}}},
             {"mobileTranscription", {{"text", french}}},
             {"targetLanguages", {"es"}},
             {"generateVoiceClone", false},
             {"modelType", "basic"}};
  client.send(audio, {std::string(64, '\x01')});
  auto spoken = client.receive_until(
      [](const json& event) {
        return event["type"] == "audio_translation_ready"
               || event["type"] == "audio_process_error";
      },
      std::chrono::seconds(60));
  REQUIRE_FALSE(spoken.is_null());
  REQUIRE(spoken["type"] == "audio_translation_ready");
  CHECK(spoken["language"] == "es");
  CHECK_THAT(lower(spoken["translatedAudio"]["translatedText"]),
             Catch::Contains("gato") && Catch::Contains("perro"));
}

TEST_CASE("a conversation's recent languages decide what its short text "
          "cannot, and never over the text",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  auto in = [](const std::string& conversation, const std::string& task,
               const std::string& text, const std::string& target) {
    auto request = translation(task, text, {target});
    request["conversationId"] = conversation;
    return request;
  };
  int n = 0;
  for (const auto* text : {"merci beaucoup", "à demain", "bonne nuit"}) {
    auto task = "fr-" + std::to_string(++n);
    client.send(in("conv-fr", task, text, "es"));
    auto done = next(client, "translation_completed", task);
    REQUIRE_FALSE(done.is_null());
    CHECK(done["result"]["detectedLanguage"] == "fr");
    CHECK(done["result"]["detectionMethod"] == "words");
  }
  client.send(in("conv-fr", "ok-fr", "ok", "es"));
  auto ok = next(client, "translation_completed", "ok-fr");
  REQUIRE_FALSE(ok.is_null());
  CHECK(ok["result"]["detectedLanguage"] == "fr");
  CHECK(ok["result"]["detectionMethod"] == "conversation");

  client.send(in("conv-fr", "es-1", "¿qué hora es?", "fr"));
  auto spanish = next(client, "translation_completed", "es-1");
  REQUIRE_FALSE(spanish.is_null());
  CHECK(spanish["result"]["detectedLanguage"] == "es");
  CHECK(spanish["result"]["detectionMethod"] == "words");

  // Another conversation has no French past.
  client.send(in("conv-other", "ok-other", "ok", "es"));
  auto other = next(client, "translation_completed", "ok-other");
  REQUIRE_FALSE(other.is_null());
  CHECK(other["result"]["detectedLanguage"] == "en");
}
