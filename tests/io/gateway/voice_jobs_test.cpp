// The session's async voice jobs on CAF's test coordinator, between test
// doubles for the router and the publisher (tests/support/session_world):
// each status a job goes through, as `voice_job_status` reads it.

#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/session_world.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

TEST_CASE("voice_translate_async goes from pending through processing to "
          "completed, and is queried by job id",
          "[io][session]") {
  session_world world;
  world.send(voice_translate_async("v-1"), {"recording"});
  world.ds.run();
  auto ack = world.expect_event("voice_api_success");
  CHECK(ack["taskId"] == "v-1");
  CHECK(ack["requestType"] == "voice_translate_async");
  CHECK(ack["result"]["status"] == "pending");
  auto job_id = ack["result"]["jobId"].get<std::string>();
  auto work = world.requests->expect_next<audio_request>();
  CHECK(work.audio == "recording");
  auto status = [&](const std::string& task_id) {
    world.send(job_query("voice_job_status", task_id, job_id));
    world.ds.run();
    auto answer = world.expect_event("voice_api_success");
    CHECK(answer["taskId"] == task_id);
    CHECK(answer["result"]["jobId"] == job_id);
    return answer["result"];
  };
  auto progress = [&](double percent, const std::string& step) {
    auto event = world.expect_frames(
        "voice_job_progress",
        [&](const json& e) {
          return e["progress"] == percent && e["currentStep"] == step;
        },
        " at " + std::to_string(percent) + "% " + step);
    auto parsed = event_json(event);
    CHECK(parsed["taskId"] == "v-1");
    CHECK(parsed["jobId"] == job_id);
  };
  auto pending = status("s-1");
  CHECK(pending["status"] == "pending");
  CHECK(pending["currentStep"] == "queued");
  world.answer(audio_progress{work.id, 500, 1000});
  world.ds.run();
  progress(25, "transcribing");
  auto processing = status("s-2");
  CHECK(processing["status"] == "processing");
  CHECK(processing["progress"] == 25);
  CHECK(processing["currentStep"] == "transcribing");
  world.answer(audio_transcribed{work.id, heard(work.id)});
  world.answer(spoken(work.id, "es", 1, 0));
  world.answer(audio_done{work.id, 1, 0, {}});
  world.ds.run();
  progress(50, "translating");
  progress(100, "synthesizing");
  auto finished = world.expect_event("voice_translation_completed");
  CHECK(finished["jobId"] == job_id);
  CHECK(finished["userId"] == "u-1");
  const auto& result = finished["result"];
  CHECK(result["originalAudio"]["transcription"] == "hello world");
  REQUIRE(result["translations"].size() == 1);
  CHECK(result["translations"][0]["targetLanguage"] == "es");
  CHECK(result["translations"][0]["voiceCloned"] == false);
  CHECK_FALSE(
      result["translations"][0]["audioBase64"].get<std::string>().empty());
  auto completed = status("s-3");
  CHECK(completed["status"] == "completed");
  CHECK(completed["progress"] == 100);
  CHECK(completed["currentStep"] == "done");
  world.send(job_query("voice_job_cancel", "s-4", job_id));
  world.ds.run();
  auto cancel = world.expect_event("voice_api_success");
  CHECK(cancel["result"]["success"] == false);
  CHECK(cancel["result"]["message"] == "job already completed");
  world.send({{"type", "voice_stats"}, {"taskId", "s-5"}, {"userId", "u-1"}});
  world.ds.run();
  auto stats = world.expect_event("voice_api_success");
  CHECK(stats["result"]["totalTranslations"] == 1);
  CHECK(stats["result"]["languagesUsed"] == json::array({"es"}));
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
  CHECK(world.stats().values["gateway_voice_jobs_completed_total"] == 1);
}

TEST_CASE("a cancelled voice job publishes nothing more", "[io][session]") {
  session_world world;
  world.send(voice_translate_async("v-2"), {"recording"});
  world.ds.run();
  auto job_id = world.expect_event("voice_api_success")["result"]["jobId"]
                    .get<std::string>();
  auto work = world.requests->expect_next<audio_request>();
  world.answer(audio_progress{work.id, 500, 1000});
  world.ds.run();
  world.expect_event("voice_job_progress");
  world.send(job_query("voice_job_cancel", "c-1", job_id));
  world.ds.run();
  auto cancel = world.expect_event("voice_api_success");
  CHECK(cancel["taskId"] == "c-1");
  CHECK(cancel["result"]["success"] == true);
  CHECK(cancel["result"]["message"] == "job cancelled");
  world.send(job_query("voice_job_status", "c-2", job_id));
  world.ds.run();
  CHECK(world.expect_event("voice_api_success")["result"]["status"]
        == "cancelled");
  auto admin_metrics = [&](const std::string& task_id) {
    world.send({{"type", "voice_admin_metrics"}, {"taskId", task_id}});
    world.ds.run();
    return world.expect_event("voice_api_success")["result"];
  };
  // Its audio request was dropped with it.
  auto cancelled = admin_metrics("c-3");
  CHECK(cancelled["activeJobs"] == 0);
  CHECK(cancelled["queuedJobs"] == 0);
  // The pipeline finishes what was running; its events are dropped, and
  // the job counts neither as completed nor as failed.
  world.answer(audio_transcribed{work.id, heard(work.id)});
  world.answer(spoken(work.id, "es", 1, 0));
  world.answer(audio_done{work.id, 1, 0, {}});
  world.ds.run();
  world.events->expect_nothing_more();
  auto after = admin_metrics("c-4");
  CHECK(after["completedToday"] == 0);
  CHECK(after["failedToday"] == 0);
  world.events->expect_nothing_more();
  world.requests->expect_nothing_more();
}
