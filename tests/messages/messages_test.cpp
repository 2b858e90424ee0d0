#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>

#include "messages/cache_types.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "server/system_config.hpp"

using namespace parley;

namespace {

/// Serializes `value` the way CAF does for another node, then reads it back.
template <class T> T round_trip(caf::actor_system& sys, T value) {
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  auto msg = caf::make_message(std::move(value));
  REQUIRE_FALSE(msg.save(sink));
  caf::binary_deserializer source{sys, buffer};
  caf::message copy;
  REQUIRE_FALSE(copy.load(source));
  REQUIRE(copy.match_elements<T>());
  return copy.get_as<T>(0);
}

} // namespace

TEST_CASE("error codes have wire names and round-trip through parsing",
          "[messages]") {
  CHECK(to_string(error_code::invalid_request) == "INVALID_REQUEST");
  CHECK(to_string(error_code::unsupported_language) == "UNSUPPORTED_LANGUAGE");
  CHECK(to_string(error_code::internal_error) == "INTERNAL_ERROR");
  CHECK(to_string(error_code::rate_limited) == "RATE_LIMITED");
  for (uint8_t i = 1; i <= 14; ++i) {
    auto code = static_cast<error_code>(i);
    auto parsed = parse_error_code(to_string(code));
    REQUIRE(parsed);
    CHECK(*parsed == code);
  }
  CHECK_FALSE(parse_error_code("NOPE"));
  auto err = make_error(error_code::overloaded, "queue full");
  CHECK(code_of(err) == error_code::overloaded);
  CHECK(explanation_of(err) == "queue full");
  CHECK(code_of(caf::make_error(caf::sec::runtime_error))
        == error_code::internal_error);
}

TEST_CASE("request and result messages survive serialization", "[messages]") {
  system_config cfg;
  caf::actor_system sys{cfg};
  translate_request request{7,       "premium",        "en",  {"es", "fr"},
                            "Hello", lane::background, {"pt"}};
  auto request_copy = round_trip(sys, request);
  CHECK(request_copy.id == 7);
  CHECK(request_copy.model == "premium");
  CHECK(request_copy.target_langs == std::vector<std::string>{"es", "fr"});
  CHECK(request_copy.text == "Hello");
  CHECK(request_copy.priority == lane::background);
  CHECK(request_copy.source_hints == std::vector<std::string>{"pt"});

  translation result{7,    "es", "Hola", "apertium", {"en", "es"},
                     true, 3,    4,      "en",       {}};
  result.detection.language = "en";
  result.detection.confidence = 0.75f;
  result.detection.method = detection_method::script;
  result.detection.note = "why";
  auto result_copy = round_trip(sys, result);
  CHECK(result_copy.source_lang == "en");
  CHECK(result_copy.detection.language == "en");
  CHECK(result_copy.detection.confidence == 0.75f);
  CHECK(result_copy.detection.method == detection_method::script);
  CHECK(result_copy.detection.note == "why");
  CHECK(result_copy.text == "Hola");
  CHECK(result_copy.route == std::vector<std::string>{"en", "es"});
  CHECK(result_copy.from_cache);
  CHECK(result_copy.inference_us == 4);

  translation_failure failure{
      7, "de", make_error(error_code::unsupported_language, "no pair en-de")};
  auto failure_copy = round_trip(sys, failure);
  CHECK(code_of(failure_copy.reason) == error_code::unsupported_language);
  CHECK(explanation_of(failure_copy.reason) == "no pair en-de");

  transcription heard{
      3, "hello", "en", 0.5f, 1200, "pocketsphinx", {{"hello", 0, 1200, 0.5f}}};
  auto heard_copy = round_trip(sys, heard);
  REQUIRE(heard_copy.segments.size() == 1);
  CHECK(heard_copy.segments[0].end_ms == 1200);

  synthesis spoken{4, "es", 16000, {1, -2, 3}};
  CHECK(round_trip(sys, spoken).samples == std::vector<int16_t>{1, -2, 3});

  audio_window window{{0.25f, -0.5f}, 3000, "en", true};
  auto window_copy = round_trip(sys, window);
  CHECK(window_copy.samples == std::vector<float>{0.25f, -0.5f});
  CHECK(window_copy.offset_ms == 3000);

  audio_request recording;
  recording.id = 9;
  recording.audio = std::string("RIFF\0\x01", 6);
  recording.target_langs = {"es", "fr"};
  auto recording_copy = round_trip(sys, recording);
  CHECK(recording_copy.audio == recording.audio);
  CHECK(recording_copy.target_langs == recording.target_langs);

  audio_translated spoken_translation{
      9, "es", "hola", {std::string("OggS", 4), "audio/ogg", 900}, {}};
  auto spoken_copy = round_trip(sys, spoken_translation);
  CHECK(spoken_copy.speech.mime_type == "audio/ogg");
  CHECK(spoken_copy.speech.duration_ms == 900);

  synthesize_request speak{6, "es", "Hola"};
  CHECK(round_trip(sys, speak).text == "Hola");

  metrics counters;
  counters.values["cache_hits_total"] = 5;
  CHECK(round_trip(sys, counters).values.at("cache_hits_total") == 5);

  cache_fill fill{{"m", "en", "es", "hi"}, {"hola", {"en", "es"}}};
  CHECK(round_trip(sys, fill).value.text == "hola");
}

TEST_CASE("metrics merge by summing equal names", "[messages]") {
  metrics a;
  a.values["x"] = 1;
  a.values["y"] = 2;
  metrics b;
  b.values["y"] = 3;
  b.values["z"] = 4;
  a.merge(b);
  CHECK(a.values["x"] == 1);
  CHECK(a.values["y"] == 5);
  CHECK(a.values["z"] == 4);
}
