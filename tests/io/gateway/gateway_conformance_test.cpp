// Every request type the gateway sends, over real sockets to a default
// parleyd (Apertium, PocketSphinx, espeak-ng), shaped as the gateway's
// client sends it; each answer is checked for its type and every field that
// client reads (see docs/protocol.md).

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/encoding/base64.hpp"
#include "tests/support/audio_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

/// Checks the fields of one spoken translation the client reads, in
/// `translatedAudio` and in each `translatedAudios[]` item.
void check_translated_audio(const json& item, const std::string& language) {
  CHECK(item["targetLanguage"] == language);
  CHECK_FALSE(item["translatedText"].get<std::string>().empty());
  CHECK(item["audioMimeType"].get<std::string>().rfind("audio/", 0) == 0);
  CHECK(item["durationMs"].get<double>() > 0);
  CHECK(item["voiceCloned"] == false);
  CHECK(item["voiceQuality"].is_number());
  CHECK(item["audioUrl"].is_string());
  CHECK(item["audioPath"].is_string());
  REQUIRE(item["segments"].is_array());
  for (const auto& segment : item["segments"]) {
    CHECK(segment["text"].is_string());
    CHECK(segment["startMs"].is_number());
    CHECK(segment["endMs"].is_number());
  }
}

void check_transcription(const json& t, const std::string& source) {
  CHECK_FALSE(t["text"].get<std::string>().empty());
  CHECK(t["language"] == "en");
  CHECK(t["confidence"].is_number());
  CHECK(t["durationMs"].is_number());
  CHECK(t["source"] == source);
  CHECK(t["model"].is_string());
  for (const auto& segment : t["segments"]) {
    CHECK(segment["text"].is_string());
    CHECK(segment["startMs"].is_number());
    CHECK(segment["endMs"].is_number());
    // Optional fields are left out, never null.
    for (const auto& [key, value] : segment.items())
      CHECK_FALSE(value.is_null());
  }
}

/// The embedded defaults, with the speech engines at normal priority: at
/// their default idle priority, a busy machine (a parallel test run) could
/// starve them for longer than a test waits.
const char* config = R"(
[models.apertium]
kind = "apertium"
[models.pocketsphinx]
kind = "pocketsphinx"
nice = 0
[models.espeak]
kind = "espeak"
nice = 0
)";

/// How long an audio step may take on a loaded 2-core machine.
constexpr auto audio_wait = std::chrono::seconds(120);

json voice_request(const std::string& type, const std::string& task_id) {
  return {{"type", type}, {"taskId", task_id}, {"userId", "user-1"}};
}

} // namespace

TEST_CASE("the gateway's whole protocol is answered as its client reads it",
          "[io][conformance]") {
  server_process server{config};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  auto is = [](const std::string& type) {
    return [type](const json& event) { return event["type"] == type; };
  };

  SECTION("translation") {
    client.send(json{{"type", "translation"},
                     {"taskId", "c-1"},
                     {"messageId", "post:42"},
                     {"text", "The cat is black."},
                     {"sourceLanguage", "en"},
                     {"targetLanguages", {"es"}},
                     {"conversationId", "conv"},
                     {"modelType", "basic"},
                     {"timestamp", 1700000000000}});
    auto done = client.receive_until(is("translation_completed"));
    CHECK(done["taskId"] == "c-1");
    CHECK(done["targetLanguage"] == "es");
    CHECK(done["timestamp"].is_number());
    const auto& r = done["result"];
    CHECK(r["messageId"] == "post:42");
    CHECK(r["translatedText"] == "El gato es negro.");
    CHECK(r["sourceLanguage"] == "en");
    CHECK(r["targetLanguage"] == "es");
    CHECK(r.contains("confidenceScore"));
    CHECK(r["processingTime"].is_number());
    CHECK(r["modelType"] == "basic");
    CHECK(r["translatorModel"].is_string());
    CHECK(r["workerName"].is_string());
  }

  SECTION("story_text_object_translation") {
    client.send(json{{"type", "story_text_object_translation"},
                     {"postId", "p-1"},
                     {"textObjectIndex", 3},
                     {"text", "The dog is big."},
                     {"sourceLanguage", "en"},
                     {"targetLanguages", {"es", "ca"}},
                     {"timestamp", 1700000000000}});
    auto story =
        client.receive_until(is("story_text_object_translation_completed"));
    CHECK(story["postId"] == "p-1");
    CHECK(story["textObjectIndex"] == 3);
    CHECK(story["translations"]["es"] == "El perro es grande.");
    CHECK(story["translations"]["ca"].is_string());
    CHECK(story["timestamp"].is_number());
  }

  SECTION("transcription_only") {
    client.send(
        json{{"type", "transcription_only"},
             {"taskId", "c-2"},
             {"messageId", "m-2"},
             {"attachmentId", "a-2"},
             {"audioFormat", "wav"},
             {"binaryFrames", {{"audio", 1}, {"audioMimeType", "audio/wav"}}}},
        {jfk_bytes()});
    auto done = client.receive_until(is("transcription_completed"), audio_wait);
    CHECK(done["taskId"] == "c-2");
    CHECK(done["messageId"] == "m-2");
    CHECK(done["attachmentId"] == "a-2");
    check_transcription(done["transcription"], "whisper");
    CHECK(done["processingTimeMs"].is_number());
    CHECK(done["timestamp"].is_number());
  }

  SECTION("audio_process, as the gateway sends it") {
    client.send(
        json{{"type", "audio_process"},
             {"messageId", "m-3"},
             {"attachmentId", "a-3"},
             {"conversationId", "conv"},
             {"senderId", "u-3"},
             {"audioUrl", ""},
             {"audioMimeType", "audio/wav"},
             {"binaryFrames", {{"audio", 1}, {"audioMimeType", "audio/wav"}}},
             {"audioDurationMs", 11000},
             {"targetLanguages", {"es", "fr"}},
             {"userLanguage", "en"},
             {"generateVoiceClone", true},
             {"modelType", "medium"},
             {"originalSenderId", "u-3"},
             {"postId", "p-3"},
             {"postMediaId", "pm-3"}},
        {jfk_bytes()});
    auto ready = client.receive_until(is("transcription_ready"), audio_wait);
    auto task_id = ready["taskId"];
    CHECK(task_id.is_string());
    CHECK(ready["messageId"] == "m-3");
    CHECK(ready["attachmentId"] == "a-3");
    CHECK(ready["postId"] == "p-3");
    CHECK(ready["postMediaId"] == "pm-3");
    check_transcription(ready["transcription"], "whisper");
    std::vector<std::string> per_language;
    json completed;
    while (completed.is_null()) {
      auto event = client.receive(audio_wait);
      REQUIRE_FALSE(event.is_null());
      auto type = event["type"].get<std::string>();
      if (type == "audio_translations_progressive"
          || type == "audio_translations_completed") {
        CHECK(event["taskId"] == task_id);
        CHECK(event["attachmentId"] == "a-3");
        check_translated_audio(event["translatedAudio"], event["language"]);
        // The audio is the first frame after the JSON.
        REQUIRE(client.last_frames.size() == 2);
        CHECK(client.last_frames[1].size()
              == event["binaryFrames"]["audio"]["size"]);
        per_language.push_back(type);
      } else if (type == "audio_process_completed") {
        completed = event;
      }
    }
    CHECK(per_language.size() == 2);
    CHECK(per_language.back() == "audio_translations_completed");
    CHECK(completed["taskId"] == task_id);
    CHECK(completed["messageId"] == "m-3");
    CHECK(completed["attachmentId"] == "a-3");
    CHECK(completed["postMediaId"] == "pm-3");
    check_transcription(completed["transcription"], "whisper");
    CHECK(completed["voiceModelUserId"].is_string());
    CHECK(completed["voiceModelQuality"].is_number());
    CHECK(completed["processingTimeMs"].is_number());
    REQUIRE(completed["translatedAudios"].size() == 2);
    for (const auto& item : completed["translatedAudios"]) {
      auto lang = item["targetLanguage"].get<std::string>();
      check_translated_audio(item, lang);
      const auto& frame = completed["binaryFrames"]["audio_" + lang];
      auto index = frame["index"].get<size_t>();
      REQUIRE(index < client.last_frames.size());
      CHECK(client.last_frames[index].size() == frame["size"]);
    }
  }

  SECTION("voice_translate answers voice_api_success with the result") {
    auto request = voice_request("voice_translate", "v-1");
    request["audioBase64"] = base64_encode(jfk_bytes());
    request["targetLanguages"] = {"es"};
    request["generateVoiceClone"] = true;
    client.send(request);
    auto done = client.receive_until(is("voice_api_success"), audio_wait);
    CHECK(done["taskId"] == "v-1");
    CHECK(done["requestType"] == "voice_translate");
    CHECK(done["processingTimeMs"].is_number());
    const auto& result = done["result"];
    CHECK(result["translationId"].is_string());
    CHECK_FALSE(
        result["originalAudio"]["transcription"].get<std::string>().empty());
    CHECK(result["originalAudio"]["language"] == "en");
    CHECK(result["originalAudio"]["durationMs"].is_number());
    CHECK(result["originalAudio"]["confidence"].is_number());
    REQUIRE(result["translations"].size() == 1);
    const auto& spoken = result["translations"][0];
    CHECK(spoken["targetLanguage"] == "es");
    CHECK_FALSE(spoken["translatedText"].get<std::string>().empty());
    CHECK(base64_decode(spoken["audioBase64"].get<std::string>()));
    CHECK(spoken["durationMs"].get<double>() > 0);
    CHECK(spoken["voiceCloned"] == false);
    CHECK(spoken["voiceQuality"].is_number());
  }

  SECTION("voice_translate_async, its progress, status and cancel") {
    auto request = voice_request("voice_translate_async", "v-2");
    request["audioBase64"] = base64_encode(jfk_bytes());
    request["targetLanguages"] = {"fr"};
    client.send(request);
    auto ack = client.receive_until(is("voice_api_success"));
    CHECK(ack["taskId"] == "v-2");
    CHECK(ack["requestType"] == "voice_translate_async");
    CHECK(ack["result"]["status"] == "pending");
    auto job_id = ack["result"]["jobId"].get<std::string>();
    auto finished =
        client.receive_until(is("voice_translation_completed"), audio_wait);
    CHECK(finished["jobId"] == job_id);
    CHECK(finished["status"] == "completed");
    CHECK(finished["userId"] == "user-1");
    CHECK(finished["timestamp"].is_number());
    CHECK(finished["result"]["translations"][0]["targetLanguage"] == "fr");
    size_t progress = 0;
    for (const auto& event : client.skipped)
      if (event["type"] == "voice_job_progress") {
        CHECK(event["taskId"] == "v-2");
        CHECK(event["jobId"] == job_id);
        CHECK(event["progress"].is_number());
        CHECK(event["currentStep"].is_string());
        CHECK(event["timestamp"].is_number());
        ++progress;
      }
    CHECK(progress > 0);
    auto status = voice_request("voice_job_status", "v-3");
    status["jobId"] = job_id;
    client.send(status);
    auto job = client.receive_until(is("voice_api_success"));
    CHECK(job["taskId"] == "v-3");
    CHECK(job["result"]["jobId"] == job_id);
    CHECK(job["result"]["status"] == "completed");
    CHECK(job["result"]["progress"] == 100);
    CHECK(job["result"]["createdAt"].is_string());
    CHECK(job["result"]["completedAt"].is_string());
    auto cancel = voice_request("voice_job_cancel", "v-4");
    cancel["jobId"] = job_id;
    client.send(cancel);
    auto cancelled = client.receive_until(is("voice_api_success"));
    CHECK(cancelled["taskId"] == "v-4");
    CHECK(cancelled["result"]["success"] == false);
    CHECK(cancelled["result"]["message"].is_string());
    auto unknown = voice_request("voice_job_status", "v-5");
    unknown["jobId"] = "no-such-job";
    client.send(unknown);
    auto missing = client.receive_until(is("voice_api_error"));
    CHECK(missing["taskId"] == "v-5");
    CHECK(missing["requestType"] == "voice_job_status");
    CHECK(missing["errorCode"].is_string());
  }

  SECTION("the voice API's questions about the server") {
    client.send(voice_request("voice_languages", "q-1"));
    auto languages = client.receive_until(is("voice_api_success"));
    CHECK(languages["requestType"] == "voice_languages");
    REQUIRE(languages["result"].is_array());
    bool english = false;
    for (const auto& lang : languages["result"]) {
      CHECK(lang["code"].is_string());
      CHECK(lang["name"].is_string());
      CHECK(lang["nativeName"].is_string());
      const auto& features = lang["supportedFeatures"];
      CHECK(features["voiceClone"] == false);
      if (lang["code"] == "en") {
        english = true;
        CHECK(features["transcription"] == true);
        CHECK(features["translation"] == true);
        CHECK(features["tts"] == true);
      }
    }
    CHECK(english);

    client.send(voice_request("voice_health", "q-2"));
    auto health = client.receive_until(is("voice_api_success"));
    CHECK(health["result"]["status"] == "healthy");
    for (auto service : {"transcription", "translation", "tts"})
      CHECK(health["result"]["services"][service] == true);
    CHECK(health["result"]["services"]["voiceClone"] == false);
    CHECK(health["result"]["latency"]["transcriptionMs"].is_number());
    CHECK(health["result"]["timestamp"].is_string());

    client.send(voice_request("voice_stats", "q-3"));
    auto stats = client.receive_until(is("voice_api_success"));
    for (auto field :
         {"totalTranslations", "totalAudioMinutes", "averageProcessingTimeMs",
          "averageFeedbackRating", "feedbackCount", "profileCount"})
      CHECK(stats["result"][field].is_number());
    CHECK(stats["result"]["languagesUsed"].is_array());
    CHECK(stats["result"]["periodStart"].is_string());

    client.send(voice_request("voice_admin_metrics", "q-4"));
    auto admin = client.receive_until(is("voice_api_success"));
    for (auto field :
         {"activeJobs", "queuedJobs", "completedToday", "failedToday",
          "averageProcessingTimeMs", "cpuUsage", "memoryUsageMb", "uptime"})
      CHECK(admin["result"][field].is_number());
    CHECK(admin["result"]["modelsLoaded"].size() == 3);
    CHECK(admin["result"]["version"].is_string());
  }

  SECTION("what needs cloning, speaker analysis or a store is refused at "
          "once") {
    for (auto type : {"voice_analyze", "voice_compare", "voice_feedback",
                      "voice_history", "voice_profile_get"}) {
      client.send(voice_request(type, std::string{"f-"} + type));
      auto refused = client.receive_until(is("voice_api_error"));
      CHECK(refused["taskId"] == std::string{"f-"} + type);
      CHECK(refused["requestType"] == type);
      CHECK(refused["errorCode"] == "FEATURE_UNAVAILABLE");
      CHECK(refused["timestamp"].is_number());
    }
    for (auto type : {"voice_profile_analyze", "voice_profile_verify",
                      "voice_profile_compare"}) {
      client.send(
          json{{"type", type}, {"request_id", "r-1"}, {"user_id", "user-1"}});
      auto refused = client.receive_until(is("voice_profile_error"));
      CHECK(refused["request_id"] == "r-1");
      CHECK(refused["user_id"] == "user-1");
      CHECK(refused["success"] == false);
      CHECK(refused["errorCode"] == "FEATURE_UNAVAILABLE");
      CHECK(refused["error"].is_string());
    }
  }

  SECTION("ping") {
    client.send(json{{"type", "ping"}, {"timestamp", 1700000000000}});
    auto pong = client.receive_until(is("pong"));
    CHECK(pong["translator_status"] == "alive");
    CHECK(pong["translator_port_pub"] == server.pub_port);
    CHECK(pong["translator_port_pull"] == server.pull_port);
    CHECK(pong["audio_pipeline_available"] == true);
  }
}
