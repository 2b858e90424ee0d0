// The detection fields of the gateway protocol, without sockets: the hint a
// request carries, and what the events say about a detected source.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "io/gateway/gateway_audio_events.hpp"
#include "io/gateway/gateway_protocol.hpp"

using namespace parley;
using nlohmann::json;

namespace {

const server_identity identity{"parley 0.1.0", "node-1", 5555, 5558, false};

gateway_translate auto_request(const std::string& type = "translation") {
  gateway_translate request;
  request.type = type;
  request.ids.task_id = "\"t\"";
  request.ids.message_id = "\"m\"";
  request.ids.post_id = "\"p\"";
  request.ids.text_object_index = "3";
  request.source_lang = "auto";
  request.text = "Bonjour à tous";
  return request;
}

translation detected_result() {
  translation result;
  result.request_id = 1;
  result.target_lang = "es";
  result.text = "Hola a todos";
  result.model = "apertium";
  result.route = {"fr", "es"};
  result.source_lang = "fr";
  result.detection.language = "fr";
  result.detection.confidence = 0.97f;
  result.detection.reliable = true;
  result.detection.method = detection_method::detector;
  return result;
}

} // namespace

TEST_CASE("userLanguage is read as the hint of an auto translation", "[io]") {
  json request{{"type", "translation"},
               {"taskId", "t-1"},
               {"text", "ok"},
               {"targetLanguages", {"es"}},
               {"userLanguage", "pt-BR"}};
  auto decoded = decode_request(std::vector<std::string>{request.dump()}, {},
                                identity, 1.0);
  REQUIRE(decoded.translate);
  CHECK(decoded.translate->source_lang == "auto"); // missing means auto
  CHECK(decoded.translate->source_hints == std::vector<std::string>{"pt-BR"});
  request.erase("userLanguage");
  auto bare = decode_request(std::vector<std::string>{request.dump()}, {},
                             identity, 1.0);
  REQUIRE(bare.translate);
  CHECK(bare.translate->source_hints.empty());
}

TEST_CASE("a detected source is named in translation_completed", "[io]") {
  auto done = json::parse(encode_translation_completed(
      auto_request(), detected_result(), identity, 2.0));
  const auto& r = done["result"];
  CHECK(r["sourceLanguage"] == "fr");
  CHECK(r["detectedLanguage"] == "fr");
  CHECK(r["detectionConfidence"] == Approx(0.97));
  CHECK(r["detectionMethod"] == "detector");

  auto named = detected_result();
  named.detection = {};
  auto plain = json::parse(
      encode_translation_completed(auto_request(), named, identity, 2.0));
  CHECK(plain["result"]["sourceLanguage"] == "fr");
  CHECK_FALSE(plain["result"].contains("detectedLanguage"));
  CHECK_FALSE(plain["result"].contains("detectionConfidence"));
}

TEST_CASE("a story object's completion names its detected source", "[io]") {
  auto request = auto_request("story_text_object_translation");
  auto story = json::parse(encode_story_completed(
      request, {{"es", "Hola a todos"}}, {}, 2.0, detected_result()));
  CHECK(story["translations"]["es"] == "Hola a todos");
  CHECK(story["sourceLanguage"] == "fr");
  CHECK(story["detectedLanguage"] == "fr");
  auto empty = json::parse(encode_story_completed(request, {}, {}, 2.0));
  CHECK(empty["translations"].empty());
  CHECK_FALSE(empty.contains("detectedLanguage"));
}

TEST_CASE("a translation names its conversation and sender as plain text",
          "[io]") {
  json request{
      {"type", "translation"},     {"taskId", "t-1"},         {"text", "ok"},
      {"targetLanguages", {"es"}}, {"conversationId", "c-9"}, {"senderId", 42}};
  auto decoded = decode_request(std::vector<std::string>{request.dump()}, {},
                                identity, 1.0);
  REQUIRE(decoded.translate);
  CHECK(decoded.translate->conversation.conversation == "c-9");
  CHECK(decoded.translate->conversation.sender == "42");
  request.erase("senderId");
  request["userId"] = "u-1";
  auto by_user = decode_request(std::vector<std::string>{request.dump()}, {},
                                identity, 1.0);
  REQUIRE(by_user.translate);
  CHECK(by_user.translate->conversation.sender == "u-1");
}

TEST_CASE("a transcription names how its language was decided", "[io]") {
  gateway_audio request;
  request.type = "transcription_only";
  request.ids.task_id = "\"t\"";
  transcription heard;
  heard.text = "hello there";
  heard.language = "en";
  heard.model = "pocketsphinx";
  heard.detection.language = "en";
  heard.detection.confidence = 0.8f;
  heard.detection.method = detection_method::detector;
  auto event = json::parse(encode_transcription_completed(request, heard, 2.0));
  const auto& t = event["transcription"];
  CHECK(t["detectedLanguage"] == "en");
  CHECK(t["detectionMethod"] == "detector");
  CHECK(t["detectionConfidence"] == Approx(0.8));
  heard.detection.method = detection_method::none;
  auto named = json::parse(encode_transcription_completed(request, heard, 2.0));
  CHECK_FALSE(named["transcription"].contains("detectionMethod"));
}
