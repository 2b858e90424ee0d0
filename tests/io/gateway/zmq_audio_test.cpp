// parleyd's audio pipeline over ZMQ with the embedded engines: FFmpeg,
// PocketSphinx, Apertium and espeak-ng.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include "tests/support/audio_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

json transcription_only(const std::string& task) {
  return {{"type", "transcription_only"},
          {"taskId", task},
          {"messageId", "m-" + task},
          {"attachmentId", "a-" + task},
          {"binaryFrames", {{"audio", 1}}}};
}

json audio_process(const std::string& task, std::vector<std::string> targets) {
  return {{"type", "audio_process"},      {"taskId", task},
          {"messageId", "m-" + task},     {"attachmentId", "a-" + task},
          {"conversationId", "c-1"},      {"senderId", "u-1"},
          {"audioMimeType", "audio/wav"}, {"binaryFrames", {{"audio", 1}}},
          {"audioDurationMs", 11000},     {"targetLanguages", targets},
          {"generateVoiceClone", true},   {"modelType", "basic"}};
}

} // namespace

TEST_CASE("transcription_only transcribes a recording sent as a frame",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(transcription_only("t-1"), {jfk_bytes()});
  auto done = client.receive_until(
      [](const json& event) {
        return event["type"] == "transcription_completed"
               || event["type"] == "transcription_error";
      },
      std::chrono::seconds(60));
  REQUIRE(done["type"] == "transcription_completed");
  CHECK(done["taskId"] == "t-1");
  CHECK(done["attachmentId"] == "a-t-1");
  const auto& heard = done["transcription"];
  CHECK_THAT(lower(heard["text"]), Catch::Contains("country"));
  CHECK_THAT(lower(heard["text"]), Catch::Contains("for you"));
  CHECK(heard["language"] == "en");
  CHECK(heard["durationMs"].get<int>() > 10000);
  CHECK(heard["durationMs"].get<int>() < 12000);
  CHECK_THAT(heard["model"].get<std::string>(),
             Catch::Contains("pocketsphinx"));
  REQUIRE(heard["segments"].size() > 3);
  CHECK(heard["segments"][0].contains("startMs"));
  CHECK(heard["confidence"].get<double>() >= 0);
}

TEST_CASE("audio_process publishes its events in order with indexed frames",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(audio_process("p-1", {"es", "fr", "en"}), {jfk_bytes()});
  std::vector<json> events;
  std::vector<std::vector<std::string>> frames;
  while (events.empty()
         || (events.back()["type"] != "audio_process_completed"
             && events.back()["type"] != "audio_process_error")) {
    auto event = client.receive(std::chrono::seconds(90));
    REQUIRE_FALSE(event.is_null());
    if (event.value("taskId", "") != "p-1")
      continue;
    events.push_back(event);
    frames.push_back(client.last_frames);
  }
  REQUIRE(events.size() == 4);
  CHECK(events[0]["type"] == "transcription_ready");
  CHECK_THAT(lower(events[0]["transcription"]["text"]),
             Catch::Contains("country"));
  // Two languages were left once the spoken one (en) was dropped.
  CHECK(events[1]["type"] == "audio_translations_progressive");
  CHECK(events[2]["type"] == "audio_translations_completed");
  for (size_t i : {1, 2}) {
    const auto& audio = events[i]["translatedAudio"];
    CHECK(audio["voiceCloned"] == false);
    CHECK(audio.contains("voiceCloneUnavailable"));
    CHECK(audio["durationMs"].get<int>() > 1000);
    REQUIRE(audio["segments"].size() == 1);
    CHECK(audio["segments"][0]["text"] == audio["translatedText"]);
    CHECK(audio["segments"][0]["endMs"] == audio["durationMs"]);
    REQUIRE(frames[i].size() == 2); // the JSON and exactly one audio frame
    CHECK(events[i]["binaryFrames"]["audio"]["index"] == 1);
    CHECK(events[i]["binaryFrames"]["audio"]["size"] == frames[i][1].size());
    CHECK(frames[i][1].substr(0, 4) == "OggS");
  }
  std::set<std::string> languages{events[1]["language"], events[2]["language"]};
  CHECK(languages == std::set<std::string>{"es", "fr"});
  const auto& completed = events[3];
  CHECK(completed["type"] == "audio_process_completed");
  CHECK(completed["translatedAudios"].size() == 2);
  REQUIRE(frames[3].size() == 3);
  for (auto lang : {"es", "fr"}) {
    const auto& entry = completed["binaryFrames"][std::string{"audio_"} + lang];
    auto index = entry["index"].get<size_t>();
    REQUIRE(index < frames[3].size());
    CHECK(entry["size"] == frames[3][index].size());
    CHECK(entry["mimeType"] == "audio/ogg");
  }
}

TEST_CASE("bad audio gets the right error and the server keeps serving",
          "[io]") {
  auto dir = std::filesystem::temp_directory_path()
             / ("parley_audio_dir_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  server_process server{"[gateway]\naudio_dir = \"" + dir.string()
                        + "\"\nmax_audio_bytes = 400000\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  auto error_of = [&](json request, std::vector<std::string> binary) {
    client.send(request, binary);
    auto event = client.receive_until(
        [&](const json& e) {
          return e.value("taskId", "") == request["taskId"];
        },
        std::chrono::seconds(60));
    client.send(json{{"type", "ping"}});
    CHECK_FALSE(
        client.receive_until([](const json& e) { return e["type"] == "pong"; })
            .is_null());
    return event;
  };
  auto corrupt =
      error_of(audio_process("e-1", {"es"}), {std::string(3000, 'x')});
  CHECK(corrupt["type"] == "audio_process_error");
  CHECK(corrupt["errorCode"] == "AUDIO_DECODE_FAILED");
  auto empty = error_of(audio_process("e-2", {"es"}), {""});
  CHECK(empty["errorCode"] == "MISSING_AUDIO");
  auto missing = error_of(audio_process("e-3", {"es"}), {});
  CHECK(missing["errorCode"] == "MISSING_AUDIO");
  auto traversal = audio_process("e-4", {"es"});
  traversal.erase("binaryFrames");
  traversal["audioPath"] = "../../etc/passwd";
  CHECK(error_of(traversal, {})["errorCode"] == "INVALID_REQUEST");
  auto oversized =
      error_of(audio_process("e-5", {"es"}), {std::string(400001, '\0')});
  CHECK(oversized["errorCode"] == "INVALID_REQUEST");
  auto corrupt_transcription =
      error_of(transcription_only("e-6"), {std::string(3000, 'x')});
  CHECK(corrupt_transcription["type"] == "transcription_error");
  CHECK(corrupt_transcription["errorCode"] == "AUDIO_DECODE_FAILED");
  // A file inside the audio directory is honoured.
  std::filesystem::copy_file(jfk_path(), dir / "jfk.wav",
                             std::filesystem::copy_options::overwrite_existing);
  auto by_path = transcription_only("e-7");
  by_path.erase("binaryFrames");
  by_path["audioPath"] = "jfk.wav";
  auto heard = error_of(by_path, {});
  CHECK(heard["type"] == "transcription_completed");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a text translation completes before a running audio job does",
          "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(audio_process("slow", {"es", "fr"}), {jfk_bytes()});
  client.send(json{{"type", "translation"},
                   {"taskId", "quick"},
                   {"messageId", "m-q"},
                   {"text", "The cat is black."},
                   {"sourceLanguage", "en"},
                   {"targetLanguages", {"es"}}});
  std::vector<std::string> order;
  while (order.empty() || order.back() != "slow:audio_process_completed") {
    auto event = client.receive(std::chrono::seconds(90));
    REQUIRE_FALSE(event.is_null());
    order.push_back(event.value("taskId", "") + ":" + event.value("type", ""));
  }
  auto position = [&](const std::string& item) {
    return std::find(order.begin(), order.end(), item) - order.begin();
  };
  CHECK(position("quick:translation_completed")
        < position("slow:audio_process_completed"));
}

TEST_CASE("an audio task re-sent while in flight is answered once", "[io]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  // The gateway's retry arrives while the recording is still being heard.
  client.send(audio_process("p-2", {"es"}), {jfk_bytes()});
  client.send(audio_process("p-2", {"es"}), {jfk_bytes()});
  std::map<std::string, int> counts;
  auto done = client.receive_until(
      [&](const json& event) {
        if (event.value("taskId", "") == "p-2")
          ++counts[event["type"]];
        return event["type"] == "audio_process_completed"
               || event["type"] == "audio_process_error";
      },
      std::chrono::seconds(90));
  REQUIRE(done["type"] == "audio_process_completed");
  // Nothing more comes for the task.
  client.receive_until(
      [&](const json& event) {
        if (event.value("taskId", "") == "p-2")
          ++counts[event["type"]];
        return false;
      },
      std::chrono::seconds(2));
  CHECK(counts["transcription_ready"] == 1);
  CHECK(counts["audio_translation_ready"] == 1);
  CHECK(counts["audio_process_completed"] == 1);
  auto stats = json::parse(http_get(server.http_port, "/stats").body);
  CHECK(stats["metrics"]["gateway_resent_merged_total"] == 1);
}
