// The session's audio jobs on CAF's test coordinator, between test doubles
// for the router and the publisher (tests/support/session_world).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/session_world.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("an audio_process re-sent without a task id is processed once",
          "[io][session]") {
  session_world world;
  // As the gateway sends it: no taskId, an empty audioUrl, the audio in
  // frame 1; re-sent every 30 s while no answer came.
  json request{{"type", "audio_process"},
               {"messageId", "m-9"},
               {"attachmentId", "a-9"},
               {"conversationId", "c"},
               {"senderId", "u"},
               {"audioUrl", ""},
               {"binaryFrames", {{"audio", 1}}},
               {"audioDurationMs", 1000},
               {"targetLanguages", {"es"}},
               {"generateVoiceClone", false},
               {"modelType", "medium"},
               {"postId", "post-1"},
               {"postMediaId", "pm-1"}};
  world.send(request, {"recording"});
  world.ds.run();
  auto work = world.requests->expect_next<audio_request>();
  CHECK(work.audio == "recording");
  CHECK(work.target_langs == std::vector<std::string>{"es"});
  world.send(request, {"recording"});
  world.ds.run();
  world.requests->expect_nothing_more();
  CHECK(world.stats().values["gateway_resent_merged_total"] == 1);
  world.answer(audio_progress{work.id, 1000, 1000});
  world.answer(audio_transcribed{work.id, heard(work.id)});
  world.answer(spoken(work.id, "es", 1, 0));
  world.answer(audio_done{work.id, 1, 0, {}});
  world.ds.run();
  auto ready = world.expect_event("transcription_ready");
  CHECK(ready["postId"] == "post-1");
  CHECK(ready["postMediaId"] == "pm-1");
  CHECK(ready["transcription"]["source"] == "whisper");
  CHECK(ready["transcription"]["text"] == "hello world");
  auto spoken_frames =
      world.expect_frames("audio_translation_ready",
                          [](const json& e) { return e["language"] == "es"; });
  REQUIRE(spoken_frames.frames.size() == 2);
  CHECK(spoken_frames.frames[1] == "speech-es");
  auto completed = world
                       .expect_frames("audio_process_completed",
                                      [](const json&) { return true; })
                       .frames;
  REQUIRE(completed.size() == 2);
  auto event = json::parse(completed[0]);
  CHECK_FALSE(event["taskId"].get<std::string>().empty());
  CHECK(event["postMediaId"] == "pm-1");
  REQUIRE(event["translatedAudios"].size() == 1);
  const auto& item = event["translatedAudios"][0];
  // Flat, as the gateway's client reads it.
  CHECK(item["targetLanguage"] == "es");
  CHECK(item["translatedText"] == "hola mundo");
  CHECK(item["audioMimeType"] == "audio/wav");
  CHECK(item["durationMs"] == 900);
  CHECK(item["voiceCloned"] == false);
  CHECK(item["segments"].is_array());
  CHECK(item["audioUrl"].is_string());
  CHECK(item["audioPath"].is_string());
  CHECK(item["voiceQuality"].is_number());
  CHECK_FALSE(item.contains("translatedAudio"));
  CHECK(event["binaryFrames"]["audio_es"]["index"] == 1);
  CHECK(event["binaryFrames"]["audio_es"]["size"] == completed[1].size());
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
}
