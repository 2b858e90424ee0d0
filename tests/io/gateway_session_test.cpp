// The gateway session without sockets: requests go in as frames, and the
// events it publishes come back to the test in place of the PUB actor. It
// runs against the real router, cache and audio pipeline, with probe models
// for order and failure injection. A trailing ping is the sentinel that
// nothing more was published.

#include <catch2/catch.hpp>

#include <deque>
#include <map>

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "io/base64.hpp"
#include "io/gateway_session.hpp"
#include "io/zmq_pub.hpp"
#include "messages/gateway.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/probe_speech.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

/// A session whose publisher is the test itself.
struct session_world {
  explicit session_world(runtime_fixture& fx) : self(fx.system()) {
    session_setup setup;
    setup.identity = server_identity{"parley test", "node", 1, 2, true};
    setup.router = fx.rt().router();
    setup.publisher = caf::actor_cast<caf::actor>(self.ptr());
    setup.max_text_chars = 10000;
    setup.models = {"text"};
    session = spawn_gateway_session(fx.system(), std::move(setup),
                                    session_placement::own_thread);
    fx.rt().add_stats_source(caf::actor_cast<stats_source>(session));
  }

  ~session_world() {
    caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
  }

  void send(const json& request, std::vector<std::string> binary = {}) {
    zmq_frames frames{{request.dump()}};
    for (auto& frame : binary)
      frames.frames.push_back(std::move(frame));
    self->send(session, std::move(frames));
  }

  /// The next published message, frames and all.
  std::vector<std::string> next_frames() {
    if (published.empty())
      self->receive(
        [&](zmq_outbound& batch) {
          for (auto& message : batch.messages)
            published.push_back(std::move(message));
        },
        caf::after(std::chrono::seconds(30)) >> [] {});
    if (published.empty())
      return {};
    auto result = std::move(published.front());
    published.pop_front();
    return result;
  }

  json next() {
    auto frames = next_frames();
    return frames.empty() ? json{} : json::parse(frames[0]);
  }

  /// Sends a ping and checks that the pong is the next event: nothing else
  /// was published before it.
  void expect_nothing_more() {
    send({{"type", "ping"}});
    CHECK(next()["type"] == "pong");
  }

  caf::scoped_actor self;
  caf::actor session;
  std::deque<std::vector<std::string>> published;
};

json text_task(const std::string& task_id, std::vector<std::string> targets,
               const std::string& text = "hello") {
  return {{"type", "translation"},       {"taskId", task_id},
          {"messageId", "m-" + task_id}, {"conversationId", "c"},
          {"text", text},                {"sourceLanguage", "en"},
          {"targetLanguages", targets}};
}

} // namespace

TEST_CASE("a task re-sent while in flight is computed once and answered once",
          "[io][session]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  session_world world{fx};
  probe->close_gate();
  world.send(text_task("t-1", {"es", "fr"}));
  REQUIRE(eventually([&] { return probe->waiting_at_gate == 1; }));
  // The gateway's 30 s retry: same task, the languages still missing, plus
  // one it did not ask before.
  world.send(text_task("t-1", {"es", "fr"}));
  world.send(text_task("t-1", {"fr", "de"}));
  REQUIRE(eventually([&] {
    return fx.stats().values["gateway_resent_merged_total"] == 2;
  }));
  probe->open_gate();
  std::map<std::string, int> per_language;
  for (int i = 0; i < 3; ++i) {
    auto event = world.next();
    CHECK(event["type"] == "translation_completed");
    CHECK(event["taskId"] == "t-1");
    ++per_language[event["targetLanguage"]];
  }
  CHECK(per_language == std::map<std::string, int>{{"de", 1}, {"es", 1},
                                                    {"fr", 1}});
  world.expect_nothing_more();
  // es, fr and de each reached the model once.
  CHECK(probe->jobs().size() == 3);
}

TEST_CASE("a language that is ready is published before slower ones finish",
          "[io][session]") {
  auto [name, probe] = make_probe();
  runtime_fixture fx{config_with({probe_model("m", name)})};
  session_world world{fx};
  // Warm the cache for es only, then hold the model.
  world.send(text_task("warm", {"es"}));
  CHECK(world.next()["type"] == "translation_completed");
  probe->close_gate();
  world.send(text_task("t-2", {"es", "fr"}));
  auto first = world.next();
  CHECK(first["targetLanguage"] == "es");
  CHECK(first["result"]["fromCache"] == true);
  // fr is still being computed: it reaches the gate and stays there.
  CHECK(eventually([&] { return probe->waiting_at_gate == 1; }));
  probe->open_gate();
  auto second = world.next();
  CHECK(second["targetLanguage"] == "fr");
  world.expect_nothing_more();
}

TEST_CASE("a story object answers once with its languages and the failures",
          "[io][session]") {
  auto [name, probe] = make_probe();
  auto cfg = config_with({probe_model("m", name)});
  runtime_fixture fx{cfg};
  session_world world{fx};
  world.send({{"type", "story_text_object_translation"},
              {"postId", "p-1"},
              {"textObjectIndex", 2},
              {"text", "fail this one"},
              {"sourceLanguage", "en"},
              {"targetLanguages", {"es"}}});
  auto story = world.next();
  CHECK(story["type"] == "story_text_object_translation_completed");
  CHECK(story["postId"] == "p-1");
  CHECK(story["textObjectIndex"] == 2);
  CHECK(story["translations"].empty());
  CHECK(story["errors"]["es"]["errorCode"] == "TRANSLATION_FAILED");
  world.expect_nothing_more();
}

TEST_CASE("an audio_process re-sent without a task id is processed once",
          "[io][session]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  session_world world{fx};
  speech->close_gate();
  // As the gateway sends it: no taskId, an empty audioUrl, the audio in
  // frame 1; re-sent every 30 s while no answer came.
  json request{{"type", "audio_process"},     {"messageId", "m-9"},
               {"attachmentId", "a-9"},       {"conversationId", "c"},
               {"senderId", "u"},             {"audioUrl", ""},
               {"binaryFrames", {{"audio", 1}}},
               {"audioDurationMs", 1000},     {"targetLanguages", {"es"}},
               {"generateVoiceClone", false}, {"modelType", "medium"},
               {"postId", "post-1"},          {"postMediaId", "pm-1"}};
  world.send(request, {tone_wav(1)});
  REQUIRE(eventually([&] { return speech->waiting_at_gate == 1; }));
  world.send(request, {tone_wav(1)});
  REQUIRE(eventually([&] {
    return fx.stats().values["gateway_resent_merged_total"] == 1;
  }));
  speech->open_gate();
  auto ready = world.next();
  CHECK(ready["type"] == "transcription_ready");
  CHECK(ready["postId"] == "post-1");
  CHECK(ready["postMediaId"] == "pm-1");
  CHECK(ready["transcription"]["source"] == "whisper");
  auto spoken = world.next_frames();
  REQUIRE(spoken.size() == 2);
  CHECK(json::parse(spoken[0])["type"] == "audio_translation_ready");
  auto completed = world.next_frames();
  REQUIRE(completed.size() == 2);
  auto event = json::parse(completed[0]);
  CHECK(event["type"] == "audio_process_completed");
  CHECK_FALSE(event["taskId"].get<std::string>().empty());
  CHECK(event["postMediaId"] == "pm-1");
  REQUIRE(event["translatedAudios"].size() == 1);
  const auto& item = event["translatedAudios"][0];
  // Flat, as the gateway's client reads it.
  CHECK(item["targetLanguage"] == "es");
  CHECK(item["translatedText"].is_string());
  CHECK(item["audioMimeType"].is_string());
  CHECK(item["durationMs"].is_number());
  CHECK(item["voiceCloned"] == false);
  CHECK(item["segments"].is_array());
  CHECK(item["audioUrl"].is_string());
  CHECK(item["audioPath"].is_string());
  CHECK(item["voiceQuality"].is_number());
  CHECK_FALSE(item.contains("translatedAudio"));
  CHECK(event["binaryFrames"]["audio_es"]["index"] == 1);
  CHECK(event["binaryFrames"]["audio_es"]["size"] == completed[1].size());
  world.expect_nothing_more();
  CHECK(speech->spoken == 1);
}

TEST_CASE("voice_translate_async acknowledges, reports progress and is "
          "queried by job id",
          "[io][session]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  session_world world{fx};
  // The voice API sends its audio inline, as base64.
  auto b64 = base64_encode(tone_wav(1));
  speech->close_gate();
  world.send({{"type", "voice_translate_async"},
              {"taskId", "v-1"},
              {"userId", "u-1"},
              {"audioBase64", b64},
              {"targetLanguages", {"es"}},
              {"generateVoiceClone", true}});
  auto ack = world.next();
  CHECK(ack["type"] == "voice_api_success");
  CHECK(ack["taskId"] == "v-1");
  CHECK(ack["requestType"] == "voice_translate_async");
  CHECK(ack["result"]["status"] == "pending");
  auto job_id = ack["result"]["jobId"].get<std::string>();
  REQUIRE(eventually([&] { return speech->waiting_at_gate == 1; }));
  world.send({{"type", "voice_job_status"}, {"taskId", "s-1"},
              {"jobId", job_id}});
  auto running = world.next();
  CHECK(running["type"] == "voice_api_success");
  CHECK(running["taskId"] == "s-1");
  CHECK(running["result"]["jobId"] == job_id);
  CHECK(running["result"]["status"] == "pending");
  speech->open_gate();
  std::vector<std::string> steps;
  json finished;
  while (finished.is_null()) {
    auto event = world.next();
    REQUIRE_FALSE(event.is_null());
    if (event["type"] == "voice_job_progress") {
      CHECK(event["taskId"] == "v-1");
      CHECK(event["jobId"] == job_id);
      steps.push_back(event["currentStep"]);
    } else {
      finished = event;
    }
  }
  CHECK_FALSE(steps.empty());
  CHECK(finished["type"] == "voice_translation_completed");
  CHECK(finished["jobId"] == job_id);
  CHECK(finished["userId"] == "u-1");
  const auto& result = finished["result"];
  CHECK(result["originalAudio"]["transcription"] == speech->text);
  REQUIRE(result["translations"].size() == 1);
  CHECK(result["translations"][0]["targetLanguage"] == "es");
  CHECK(result["translations"][0]["voiceCloned"] == false);
  CHECK_FALSE(result["translations"][0]["audioBase64"].get<std::string>()
                .empty());
  world.send({{"type", "voice_job_status"}, {"taskId", "s-2"},
              {"jobId", job_id}});
  CHECK(world.next()["result"]["status"] == "completed");
  world.send({{"type", "voice_job_cancel"}, {"taskId", "s-3"},
              {"jobId", job_id}});
  auto cancel = world.next();
  CHECK(cancel["result"]["success"] == false);
  world.send({{"type", "voice_stats"}, {"taskId", "s-4"}, {"userId", "u-1"}});
  auto stats = world.next();
  CHECK(stats["result"]["totalTranslations"] == 1);
  CHECK(stats["result"]["languagesUsed"] == json::array({"es"}));
  world.expect_nothing_more();
}

TEST_CASE("a cancelled voice job publishes nothing more", "[io][session]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  session_world world{fx};
  speech->close_gate();
  world.send({{"type", "voice_translate_async"},
              {"taskId", "v-2"},
              {"audioBase64", base64_encode(tone_wav(1))},
              {"targetLanguages", {"es"}}});
  auto job_id = world.next()["result"]["jobId"].get<std::string>();
  REQUIRE(eventually([&] { return speech->waiting_at_gate == 1; }));
  world.send({{"type", "voice_job_cancel"}, {"taskId", "c-1"},
              {"jobId", job_id}});
  auto cancel = world.next();
  CHECK(cancel["type"] == "voice_api_success");
  CHECK(cancel["result"]["success"] == true);
  speech->open_gate();
  world.send({{"type", "voice_job_status"}, {"taskId", "c-2"},
              {"jobId", job_id}});
  CHECK(world.next()["result"]["status"] == "cancelled");
  // The recognition that was held finishes, then the synthesis; their
  // events are dropped.
  REQUIRE(eventually([&] { return speech->spoken == 1; }));
  world.expect_nothing_more();
}
