// espeak speaks, pocketsphinx listens: the two embedded speech engines
// checked against each other, end to end.

#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <string>

#include "models/speech_backend.hpp"
#include "tests/models/speech/wav_file.hpp"
#include "tests/support/builtin_kinds.hpp"

using namespace parley;

TEST_CASE("pocketsphinx recognizes words that espeak speaks", "[models]") {
  const std::string sentence = "hello how are you";
  auto speech = test::make_synthesizer("espeak", backend_options{})
                    ->synthesize(sentence, "en");
  REQUIRE(!speech.samples.empty());

  audio_window window;
  window.samples = test::resample(
      speech.samples, static_cast<int>(speech.sample_rate), speech_sample_rate);
  window.language = "en";
  auto heard = test::make_transcriber("pocketsphinx", backend_options{})
                   ->transcribe(window);

  INFO("heard: " << heard.text);
  std::set<std::string> spoken;
  std::istringstream said{sentence};
  for (std::string word; said >> word;)
    spoken.insert(word);
  std::istringstream words{heard.text};
  int matches = 0;
  for (std::string word; words >> word;)
    matches += static_cast<int>(spoken.count(word));
  CHECK(matches >= 1);
}
