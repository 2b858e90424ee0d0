// The pocketsphinx transcriber on real speech: the JFK inaugural excerpt
// ("... ask not what your country can do for you, ask what you can do for
// your country").

#include <catch2/catch.hpp>

#include <string>

#include "models/registry.hpp"
#include "models/speech_backend.hpp"
#include "tests/models/speech/wav_file.hpp"
#include "tests/support/builtin_kinds.hpp"

using namespace parley;

namespace {

// Loading takes half a second and decoding the fixture four; the tests share
// one transcriber and one full decode.
transcription_backend& transcriber() {
  static auto instance =
      test::make_transcriber("pocketsphinx", backend_options{});
  return *instance;
}

const test::wav_audio& jfk() {
  static auto audio =
      test::read_wav(std::string{PARLEY_FIXTURES_DIR} + "/audio/jfk.wav");
  return audio;
}

// The whole recording, or its first `seconds` ("and so my fellow americans"
// in the first four).
audio_window jfk_window(uint32_t offset_ms = 0, int seconds = 0) {
  audio_window window;
  window.samples = jfk().samples;
  if (seconds > 0)
    window.samples.resize(static_cast<size_t>(seconds) * speech_sample_rate);
  window.offset_ms = offset_ms;
  window.language = "en";
  return window;
}

const transcription& jfk_transcript() {
  static auto result = transcriber().transcribe(jfk_window());
  return result;
}

const transcription& opening_transcript() {
  static auto result = transcriber().transcribe(jfk_window(0, 4));
  return result;
}

} // namespace

TEST_CASE("the jfk fixture is 16 kHz mono speech", "[models]") {
  CHECK(jfk().sample_rate == speech_sample_rate);
  CHECK(jfk().channels == 1);
  CHECK(jfk().samples.size() > 10 * speech_sample_rate);
}

TEST_CASE("pocketsphinx is registered as a transcriber", "[models]") {
  auto registry = backend_registry::builtin();
  CHECK(registry.factory_of<transcription_factory>("pocketsphinx") != nullptr);
  CHECK(transcriber().languages() == std::vector<std::string>{"en"});
  CHECK(transcriber().window_seconds() >= 0);
}

TEST_CASE("pocketsphinx transcribes the jfk speech", "[models]") {
  const auto& result = jfk_transcript();
  INFO("text: " << result.text);
  CHECK(result.text.find("country") != std::string::npos);
  CHECK(result.text.find("for you") != std::string::npos);
  CHECK(result.language == "en");
  CHECK(result.model == "pocketsphinx-en-us");
  CHECK(result.duration_ms == jfk().samples.size() * 1000 / speech_sample_rate);
  CHECK(result.confidence >= 0.0f);
  CHECK(result.confidence <= 1.0f);
}

TEST_CASE("pocketsphinx word segments are ordered and inside the window",
          "[models]") {
  const auto& result = jfk_transcript();
  REQUIRE(result.segments.size() >= 5);
  uint32_t previous_end = 0;
  std::string joined;
  for (const auto& segment : result.segments) {
    INFO(segment.text << " " << segment.start_ms << "-" << segment.end_ms);
    CHECK(!segment.text.empty());
    CHECK(segment.text.find('<') == std::string::npos);
    CHECK(segment.text.find('(') == std::string::npos);
    CHECK(segment.start_ms >= previous_end);
    CHECK(segment.end_ms > segment.start_ms);
    CHECK(segment.end_ms <= result.duration_ms);
    CHECK(segment.confidence >= 0.0f);
    CHECK(segment.confidence <= 1.0f);
    previous_end = segment.end_ms;
    joined += (joined.empty() ? "" : " ") + segment.text;
  }
  CHECK(joined == result.text);
}

TEST_CASE("pocketsphinx shifts segment times by the window offset",
          "[models]") {
  // Decoded after other windows, so this also shows that a window's
  // transcript does not depend on what the decoder heard before.
  const uint32_t offset_ms = 60000;
  auto shifted = transcriber().transcribe(jfk_window(offset_ms, 4));
  const auto& base = opening_transcript();
  CHECK(shifted.text == base.text);
  REQUIRE(!base.segments.empty());
  REQUIRE(shifted.segments.size() == base.segments.size());
  for (size_t i = 0; i < base.segments.size(); ++i) {
    CHECK(shifted.segments[i].text == base.segments[i].text);
    CHECK(shifted.segments[i].start_ms
          == base.segments[i].start_ms + offset_ms);
    CHECK(shifted.segments[i].end_ms == base.segments[i].end_ms + offset_ms);
  }
}

TEST_CASE("pocketsphinx without timestamps gives one segment for the window",
          "[models]") {
  auto window = jfk_window(1500, 4);
  window.timestamps = false;
  auto result = transcriber().transcribe(window);
  INFO("text: " << result.text);
  REQUIRE(!result.text.empty());
  CHECK(result.text == opening_transcript().text);
  REQUIRE(result.segments.size() == 1);
  CHECK(result.segments[0].text == result.text);
  CHECK(result.segments[0].start_ms == 1500);
  CHECK(result.segments[0].end_ms == 1500 + 4000);
  CHECK(result.confidence == opening_transcript().confidence);
}

TEST_CASE("pocketsphinx refuses languages other than English", "[models]") {
  audio_window window;
  window.samples.assign(speech_sample_rate / 2, 0.0f);
  window.language = "es";
  CHECK_THROWS_AS(transcriber().transcribe(window), unsupported_language);
  window.language = "en-US";
  CHECK_NOTHROW(transcriber().transcribe(window));
  window.language = "";
  CHECK(transcriber().transcribe(window).language == "en");
}

TEST_CASE("pocketsphinx hears nothing in silence", "[models]") {
  audio_window window;
  window.samples.assign(2 * speech_sample_rate, 0.0f);
  auto result = transcriber().transcribe(window);
  CHECK(result.text.size() <= 4);
  CHECK(result.duration_ms == 2000);
  CHECK(result.confidence >= 0.0f);
  CHECK(result.confidence <= 1.0f);

  window.samples.clear();
  auto empty = transcriber().transcribe(window);
  CHECK(empty.text.empty());
  CHECK(empty.segments.empty());
  CHECK(empty.duration_ms == 0);
}

TEST_CASE("pocketsphinx names a missing model path when loading fails",
          "[models]") {
  backend_options options;
  options.set("dict", "/no/such/dictionary.dict");
  try {
    test::make_transcriber("pocketsphinx", options);
    FAIL("loading succeeded");
  } catch (const std::runtime_error& e) {
    CHECK(std::string{e.what()}.find("/no/such/dictionary.dict")
          != std::string::npos);
  }
}
