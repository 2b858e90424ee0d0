#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "io/http/openai_transcripts.hpp"

using namespace parley;
using nlohmann::json;

namespace {

transcript_view two_segments() {
  transcript_view view;
  view.task = "transcribe";
  view.language = "en";
  view.duration_s = 3.5;
  view.text = "Hello there. General Kenobi.";
  view.segments = {{"Hello there.", 0, 1250, 0.5f},
                   {"General Kenobi.", 1500, 3400, 1.0f}};
  return view;
}

} // namespace

TEST_CASE("cue times are hours, minutes, seconds and milliseconds",
          "[io][http][openai]") {
  CHECK(cue_time(0, ',') == "00:00:00,000");
  CHECK(cue_time(3'723'004, ',') == "01:02:03,004");
  CHECK(cue_time(59'999, '.') == "00:00:59.999");
}

TEST_CASE("a transcript is written as SubRip and WebVTT cues, one per segment",
          "[io][http][openai]") {
  auto srt = render_transcript(two_segments(), transcript_format::srt);
  CHECK(srt.body
        == "1\n00:00:00,000 --> 00:00:01,250\nHello there.\n\n"
           "2\n00:00:01,500 --> 00:00:03,400\nGeneral Kenobi.\n\n");
  auto vtt = render_transcript(two_segments(), transcript_format::vtt);
  CHECK(vtt.body
        == "WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nHello there.\n\n"
           "00:00:01.500 --> 00:00:03.400\nGeneral Kenobi.\n\n");
  CHECK(vtt.content_type.rfind("text/vtt", 0) == 0);
}

TEST_CASE("a transcript without segments answers one spanning the recording",
          "[io][http][openai]") {
  auto view = two_segments();
  view.segments.clear();
  auto srt = render_transcript(view, transcript_format::srt);
  CHECK(
      srt.body
      == "1\n00:00:00,000 --> 00:00:03,500\nHello there. General Kenobi.\n\n");
}

TEST_CASE("the verbose transcript has OpenAI's fields", "[io][http][openai]") {
  auto view = two_segments();
  view.temperature = 0.2;
  auto body = json::parse(
      render_transcript(view, transcript_format::verbose_json).body);
  CHECK(body["task"] == "transcribe");
  CHECK(body["language"] == "english");
  CHECK(body["duration"] == 3.5);
  CHECK(body["text"] == view.text);
  REQUIRE(body["segments"].size() == 2);
  const auto& second = body["segments"][1];
  CHECK(second["id"] == 1);
  CHECK(second["seek"] == 150);
  CHECK(second["start"] == 1.5);
  CHECK(second["end"] == 3.4);
  CHECK(second["text"] == "General Kenobi.");
  CHECK(second["temperature"] == 0.2);
  CHECK(second["avg_logprob"] == 0.0);
  CHECK(body["segments"][0]["avg_logprob"].get<double>()
        == Approx(std::log(0.5)));
  auto plain = render_transcript(view, transcript_format::text);
  CHECK(plain.body == view.text + "\n");
  CHECK(json::parse(render_transcript(view, transcript_format::json).body)
        == json{{"text", view.text}});
  CHECK_FALSE(transcript_format_named("docx"));
  CHECK(transcript_format_named("verbose_json")
        == transcript_format::verbose_json);
}
