// The espeak synthesizer on the real espeak-ng engine and its installed
// voices.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "models/registry.hpp"
#include "models/speech_backend.hpp"
#include "tests/models/speech/wav_file.hpp"
#include "tests/support/builtin_kinds.hpp"

using namespace parley;

namespace {

synthesis_backend& synthesizer() {
  static auto instance = test::make_synthesizer("espeak", backend_options{});
  return *instance;
}

double seconds_of(const synthesis& audio) {
  return static_cast<double>(audio.samples.size()) / audio.sample_rate;
}

bool speaks(const std::vector<std::string>& languages,
            const std::string& language) {
  return std::find(languages.begin(), languages.end(), language)
         != languages.end();
}

} // namespace

TEST_CASE("espeak is registered as a synthesizer", "[models]") {
  CHECK(backend_registry::builtin().factory_of<synthesis_factory>("espeak")
        != nullptr);
}

TEST_CASE("espeak lists its voices as ISO 639-1 codes", "[models]") {
  auto languages = synthesizer().languages();
  for (const auto* language : {"en", "es", "fr", "de", "ca", "pt", "it"})
    CHECK(speaks(languages, language));
  for (const auto& language : languages)
    CHECK(language.size() == 2);
  CHECK(std::is_sorted(languages.begin(), languages.end()));
}

TEST_CASE("espeak speaks Spanish and English as audible 16-bit audio",
          "[models]") {
  auto spanish = synthesizer().synthesize("Hola, ¿cómo estás?", "es");
  auto english = synthesizer().synthesize("Hello, how are you?", "en");
  for (const auto* audio : {&spanish, &english}) {
    INFO(audio->language << ": " << audio->samples.size() << " samples at "
                         << audio->sample_rate << " Hz, rms "
                         << test::rms(audio->samples));
    CHECK(audio->sample_rate >= 8000);
    CHECK(audio->sample_rate <= 48000);
    CHECK(seconds_of(*audio) > 0.5);
    CHECK(seconds_of(*audio) < 5.0);
    CHECK(test::rms(audio->samples) > 0.01);
  }
  CHECK(spanish.language == "es");
  CHECK(english.language == "en");
}

TEST_CASE("espeak voices for different languages sound different", "[models]") {
  const std::string text = "uno dos tres";
  auto spanish = synthesizer().synthesize(text, "es");
  auto german = synthesizer().synthesize(text, "de");
  CHECK(spanish.samples != german.samples);
}

TEST_CASE("espeak speaks twice in a row", "[models]") {
  // Not sample-identical: espeak draws its fricative noise at random.
  auto first = synthesizer().synthesize("Good morning.", "en");
  auto second = synthesizer().synthesize("Good morning.", "en");
  CHECK(test::rms(first.samples) > 0.01);
  CHECK(test::rms(second.samples) > 0.01);
  CHECK(second.samples.size() == Approx(first.samples.size()).epsilon(0.1));
}

TEST_CASE("espeak speaks at the asked speed", "[models]") {
  const std::string text = "The meeting starts at nine tomorrow morning.";
  auto normal = synthesizer().synthesize(text, "en", 1.0f).samples.size();
  auto fast = synthesizer().synthesize(text, "en", 2.0f).samples.size();
  auto slow = synthesizer().synthesize(text, "en", 0.5f).samples.size();
  CHECK(fast < normal * 0.75);
  CHECK(slow > normal * 1.4);
}

TEST_CASE("espeak takes regional codes and refuses unknown languages",
          "[models]") {
  CHECK(!synthesizer().synthesize("Olá", "pt-BR").samples.empty());
  CHECK(!synthesizer().synthesize("Hello", "en_US").samples.empty());
  CHECK_THROWS_AS(synthesizer().synthesize("hello", "xx"),
                  unsupported_language);
  CHECK_THROWS_AS(synthesizer().synthesize("hello", ""), unsupported_language);
}

TEST_CASE("espeak returns empty audio for empty text", "[models]") {
  auto audio = synthesizer().synthesize("", "en");
  CHECK(audio.samples.empty());
  CHECK(audio.sample_rate > 0);
  CHECK(synthesizer().synthesize("  \n", "fr").samples.empty());
}

TEST_CASE("espeak speaks markup literally rather than as SSML", "[models]") {
  // As SSML this is three seconds of silence; spoken literally it is words.
  auto audio = synthesizer().synthesize("<break time=\"3s\"/>", "en");
  CHECK(test::rms(audio.samples) > 0.01);
}

TEST_CASE("espeak speaks faster at a higher rate", "[models]") {
  backend_options fast_options;
  fast_options.set("rate", "350");
  auto fast = test::make_synthesizer("espeak", fast_options);
  const std::string text = "This sentence is spoken at two different speeds.";
  auto quick = fast->synthesize(text, "en");
  auto normal = synthesizer().synthesize(text, "en");
  CHECK(seconds_of(quick) < seconds_of(normal));

  backend_options bad_options;
  bad_options.set("rate", "5");
  CHECK_THROWS_AS(test::make_synthesizer("espeak", bad_options),
                  std::runtime_error);
}
