// parleyd as a real process, driven over real ZMQ sockets the way the chat
// gateway drives it.

#include <catch2/catch.hpp>

#include <string>

#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

/// Receives the next event of `type` for `task`.
json next(zmq_client& client, const std::string& type, const json& task) {
  return client.receive_until([&](const json& event) {
    return event.value("type", "") == type
           && event.value("taskId", json{}) == task;
  });
}

json translation(const std::string& task, const std::string& text,
                 std::vector<std::string> targets,
                 const std::string& source = "en") {
  return {{"type", "translation"},      {"taskId", task},
          {"messageId", "post:123"},    {"text", text},
          {"sourceLanguage", source},   {"targetLanguages", targets},
          {"conversationId", "conv-9"}, {"modelType", "basic"},
          {"timestamp", 1700000000.5}};
}

} // namespace

TEST_CASE("ping is answered with pong and the server's ports", "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(json{{"type", "ping"}, {"timestamp", 5}});
  auto pong = client.receive();
  REQUIRE(pong["type"] == "pong");
  CHECK(pong["translator_status"] == "alive");
  CHECK(pong["translator_port_pull"] == server.pull_port);
  CHECK(pong["translator_port_pub"] == server.pub_port);
  CHECK(pong["audio_pipeline_available"] == true);
  CHECK(pong["timestamp"].is_number());
}

TEST_CASE("a translation settles each language on its own and echoes its ids",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(
      translation("t-1", "The cat is black.", {"es", "fr", "de", "es", "en"}));
  std::map<std::string, json> completed;
  std::map<std::string, json> failed;
  while (completed.size() + failed.size() < 4) {
    auto event = client.receive();
    REQUIRE_FALSE(event.is_null());
    REQUIRE(event["taskId"] == "t-1");
    if (event["type"] == "translation_completed")
      completed[event["targetLanguage"]] = event;
    else if (event["type"] == "translation_error")
      failed[event["targetLanguage"]] = event;
  }
  // Duplicates are answered once; nothing more arrives for this task.
  CHECK(client.receive(std::chrono::milliseconds(300)).is_null());
  REQUIRE(completed.count("es") == 1);
  const auto& es = completed["es"];
  CHECK(es["result"]["messageId"] == "post:123");
  CHECK_THAT(lower(es["result"]["translatedText"]), Catch::Contains("gato"));
  CHECK(es["result"]["sourceLanguage"] == "en");
  CHECK(es["result"]["targetLanguage"] == "es");
  CHECK(es["result"]["modelType"] == "basic");
  CHECK(es["result"]["translatorModel"] == "apertium");
  CHECK(es["result"]["fromCache"] == false);
  for (auto field : {"confidenceScore", "processingTime", "workerName",
                     "poolType", "translationTime", "queueTime"})
    CHECK(es["result"].contains(field));
  CHECK(es["metadata"]["protocol"] == "zmq");
  CHECK(es["metadata"]["translatorVersion"].get<std::string>().find("parley")
        == 0);
  CHECK(es["metadata"].contains("processingNode"));
  REQUIRE(completed.count("fr") == 1);
  CHECK_THAT(lower(completed["fr"]["result"]["translatedText"]),
             Catch::Contains("chat"));
  REQUIRE(completed.count("en") == 1);
  CHECK(completed["en"]["result"]["translatedText"] == "The cat is black.");
  REQUIRE(failed.count("de") == 1);
  CHECK(failed["de"]["errorCode"] == "UNSUPPORTED_LANGUAGE");
  CHECK(failed["de"]["messageId"] == "post:123");
  CHECK(failed["de"]["conversationId"] == "conv-9");

  // The same text again comes from the cache, and a numeric id stays a number.
  auto again = translation("t-2", "The cat is black.", {"es"});
  again["messageId"] = 123;
  client.send(again);
  auto cached = next(client, "translation_completed", "t-2");
  CHECK(cached["result"]["fromCache"] == true);
  CHECK(cached["result"]["messageId"] == 123);
}

TEST_CASE("requests without a usable source or with a long text are answered",
          "[io]") {
  // With detection off, "auto" and a missing source cannot be served
  // (tests/io/gateway/zmq_detection_test.cpp has them with detection on).
  server_process server{"[server]\nmax_text_chars = 20\n"
                        "[detection]\nengine = \"off\"\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  auto automatic = translation("auto-1", "Hello", {"es", "fr"}, "auto");
  client.send(automatic);
  for (int i = 0; i < 2; ++i) {
    auto error = next(client, "translation_error", "auto-1");
    CHECK(error["errorCode"] == "UNSUPPORTED_LANGUAGE");
  }
  auto missing = translation("auto-2", "Hello", {"es"});
  missing.erase("sourceLanguage");
  client.send(missing);
  CHECK(next(client, "translation_error", "auto-2")["errorCode"]
        == "UNSUPPORTED_LANGUAGE");
  client.send(translation("long-1", std::string(25, 'a'), {"es", "fr"}));
  auto skipped = next(client, "translation_skipped", "long-1");
  CHECK(skipped["reason"] == "message_too_long");
  CHECK(skipped["length"] == 25);
  CHECK(skipped["max_length"] == 20);
  CHECK(skipped["messageId"] == "post:123");
}

TEST_CASE("story text objects are answered with every translation at once",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(json{{"type", "story_text_object_translation"},
                   {"postId", "p-7"},
                   {"textObjectIndex", 2},
                   {"text", "The dog is big."},
                   {"sourceLanguage", "en"},
                   {"targetLanguages", {"es", "ca", "de"}}});
  auto story = client.receive_until([](const json& event) {
    return event["type"] == "story_text_object_translation_completed";
  });
  REQUIRE_FALSE(story.is_null());
  CHECK(story["postId"] == "p-7");
  CHECK(story["textObjectIndex"] == 2);
  REQUIRE(story["translations"].size() == 2);
  CHECK_THAT(lower(story["translations"]["es"]), Catch::Contains("perro"));
  CHECK_THAT(lower(story["translations"]["ca"]), Catch::Contains("gos"));
  client.send(json{{"type", "story_text_object_translation"},
                   {"postId", "p-8"},
                   {"textObjectIndex", 0},
                   {"text", "Hello"},
                   {"sourceLanguage", "en"},
                   {"targetLanguages", {"ja"}}});
  auto empty = client.receive_until([](const json& event) {
    return event["type"] == "story_text_object_translation_completed"
           && event["postId"] == "p-8";
  });
  REQUIRE_FALSE(empty.is_null());
  CHECK(empty["translations"].empty());
}

TEST_CASE("speech requests are validated and use the phone's transcription",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  json transcribe{{"type", "transcription_only"},
                  {"taskId", "s-1"},
                  {"messageId", "m-1"},
                  {"attachmentId", "a-1"},
                  {"binaryFrames", {{"audio", 1}}}};
  client.send(transcribe, {std::string(1000, '\x01')});
  auto undecodable = next(client, "transcription_error", "s-1");
  CHECK(undecodable["errorCode"] == "AUDIO_DECODE_FAILED");
  CHECK(undecodable["attachmentId"] == "a-1");

  auto mobile = transcribe;
  mobile["taskId"] = "s-2";
  mobile["mobileTranscription"] = {{"text", "hello there"}, {"language", "en"}};
  client.send(mobile, {std::string(10, '\x01')});
  auto used = next(client, "transcription_completed", "s-2");
  CHECK(used["transcription"]["text"] == "hello there");
  CHECK(used["transcription"]["language"] == "en");
  CHECK(used["transcription"]["source"] == "mobile");

  json audio{{"type", "audio_process"},
             {"messageId", "m-3"},
             {"attachmentId", "a-3"},
             {"conversationId", "c-3"},
             {"senderId", "u-3"},
             {"audioMimeType", "audio/wav"},
             {"binaryFrames", {{"audio", 1}}},
             {"targetLanguages", {"es", "fr"}},
             {"generateVoiceClone", false},
             {"modelType", "basic"}};
  client.send(audio, {std::string(100, '\x02')});
  auto failed = client.receive_until(
      [](const json& event) { return event["type"] == "audio_process_error"; });
  REQUIRE_FALSE(failed.is_null());
  CHECK(failed["messageId"] == "m-3");
  CHECK(failed["attachmentId"] == "a-3");
  CHECK(failed["taskId"].is_string()); // generated: the gateway sent none
  CHECK(failed["errorCode"] == "AUDIO_DECODE_FAILED");

  client.send(audio); // binaryFrames.audio names a frame that is not there
  auto missing = client.receive_until(
      [](const json& event) { return event["type"] == "audio_process_error"; });
  REQUIRE_FALSE(missing.is_null());
  CHECK(missing["errorCode"] == "MISSING_AUDIO");
  CHECK(missing["messageId"] == "m-3");
}

TEST_CASE("twenty-odd malformed messages each get an error and the server "
          "keeps serving",
          "[io]") {
  server_process server{"[gateway]\nmax_json_bytes = 4096\n"
                        "max_audio_bytes = 2048\nmax_frames = 4\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  struct bad_input {
    std::string frame0;
    std::vector<std::string> binary;
    std::string expected_type;
  };
  auto t = [](json request) { return request.dump(); };
  std::vector<bad_input> inputs = {
      {"not json at all", {}, "error"},
      {"{\"type\": \"translation\"", {}, "error"},
      {"[1, 2, 3]", {}, "error"},
      {"\"just a string\"", {}, "error"},
      {"{}", {}, "error"},
      {t({{"type", 42}}), {}, "error"},
      {t({{"type", "teleport"}, {"taskId", "x"}}), {}, "error"},
      {t({{"type", "translation"}, {"taskId", "b1"}}), {}, "translation_error"},
      {t({{"type", "translation"},
          {"taskId", "b2"},
          {"text", 5},
          {"targetLanguages", {"es"}}}),
       {},
       "translation_error"},
      {t({{"type", "translation"},
          {"taskId", "b3"},
          {"text", "hi"},
          {"targetLanguages", "es"}}),
       {},
       "translation_error"},
      {t({{"type", "translation"},
          {"taskId", "b4"},
          {"text", "hi"},
          {"targetLanguages", {1, 2}}}),
       {},
       "translation_error"},
      {t({{"type", "translation"},
          {"taskId", "b5"},
          {"text", "hi"},
          {"targetLanguages", {"es"}},
          {"sourceLanguage", 7}}),
       {},
       "translation_error"},
      {t({{"type", "translation"},
          {"taskId", "b6"},
          {"text", "hi"},
          {"targetLanguages", {"es"}},
          {"modelType", {1}}}),
       {},
       "translation_error"},
      {t({{"type", "story_text_object_translation"},
          {"text", "hi"},
          {"targetLanguages", {"es"}}}),
       {},
       "error"},
      // The gateway's client knows no story error event and waits on none:
      // a plain error is all it logs.
      {t({{"type", "story_text_object_translation"},
          {"postId", "p"},
          {"textObjectIndex", "first"},
          {"text", "hi"},
          {"targetLanguages", {"es"}}}),
       {},
       "error"},
      {t({{"type", "transcription_only"}, {"taskId", "b7"}}),
       {},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b8"},
          {"binaryFrames", {{"audio", 3}}}}),
       {"x"},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b9"},
          {"binaryFrames", {{"audio", 1}}}}),
       {""},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b10"},
          {"binaryFrames", {{"audio", "one"}}}}),
       {"x"},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b11"},
          {"audioPath", "../../etc/passwd"}}),
       {},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b12"},
          {"audioUrl", "http://example.com/a.wav"}}),
       {},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b13"},
          {"audioData", "AAAA"}}),
       {},
       "transcription_error"},
      {t({{"type", "transcription_only"},
          {"taskId", "b14"},
          {"binaryFrames", {{"audio", 1}}}}),
       {std::string(4096, 'x')},
       "transcription_error"},
      {t({{"type", "translation"},
          {"taskId", "b15"},
          {"text", "hi"},
          {"targetLanguages", {"es"}}}),
       {"a", "b", "c", "d"},
       "translation_error"},
      {std::string(4000, ' ') + "{}", {}, "error"},
      {t({{"type", "audio_process"},
          {"messageId", "m"},
          {"targetLanguages", {"es"}}}),
       {},
       "audio_process_error"},
      {"{\"type\": \"translation\", \"text\": \"\xC3\x28\"}", {}, "error"},
  };
  int answered = 0;
  for (const auto& input : inputs) {
    INFO("input: " << input.frame0.substr(0, 120));
    client.send(input.frame0, input.binary);
    auto reply = client.receive();
    REQUIRE_FALSE(reply.is_null());
    CHECK(reply["type"] == input.expected_type);
    CHECK(reply.contains("errorCode"));
    CHECK(reply.contains("error"));
    client.send(json{{"type", "ping"}});
    CHECK(client.receive()["type"] == "pong");
    ++answered;
  }
  CHECK(answered >= 20);
  // Ids that could be read are echoed.
  client.send(t({{"type", "translation"},
                 {"taskId", "echo-me"},
                 {"messageId", "m-echo"}}));
  auto echoed = client.receive();
  CHECK(echoed["taskId"] == "echo-me");
  CHECK(echoed["messageId"] == "m-echo");
  CHECK(echoed["errorCode"] == "INVALID_REQUEST");
}

TEST_CASE("ports come from the environment unless a flag says otherwise",
          "[io]") {
  auto env_pull = free_port();
  setenv("TRANSLATOR_ZMQ_PULL_PORT", std::to_string(env_pull).c_str(), 1);
  auto pub = free_port();
  // The flag for the PUB port is absent: the environment decides it.
  setenv("TRANSLATOR_ZMQ_PUB_PORT", std::to_string(pub).c_str(), 1);
  {
    child_process server{{bin_path("parleyd"), "--http-port", "0", "--set",
                          "models.loopback.kind=echo"}};
    unsetenv("TRANSLATOR_ZMQ_PULL_PORT");
    unsetenv("TRANSLATOR_ZMQ_PUB_PORT");
    REQUIRE(server.wait_for_output("parleyd: ready"));
    zmq_client client{env_pull, pub};
    CHECK(client.wait_until_subscribed());
  }
  setenv("TRANSLATOR_ZMQ_PULL_PORT", std::to_string(free_port()).c_str(), 1);
  auto flag_pull = free_port();
  auto flag_pub = free_port();
  child_process server{{bin_path("parleyd"), "--http-port", "0", "--pull-port",
                        std::to_string(flag_pull), "--pub-port",
                        std::to_string(flag_pub), "--set",
                        "models.loopback.kind=echo"}};
  unsetenv("TRANSLATOR_ZMQ_PULL_PORT");
  REQUIRE(server.wait_for_output("parleyd: ready"));
  zmq_client client{flag_pull, flag_pub};
  CHECK(client.wait_until_subscribed());
}
