// The `whisper` transcriber on the fixture checkpoint, with a stand-in
// vocabulary for its 600 tokens.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "models/checkpoint/safetensors.hpp"
#include "models/registry.hpp"
#include "models/speech_backend.hpp"

using namespace parley;
namespace fs = std::filesystem;

namespace {

const std::string fixture_dir =
    std::string{PARLEY_FIXTURES_DIR} + "/whisper-tiny";

/// A copy of the fixture with tokenizer files: ids below 590 are the words
/// " w<id>", then <|startoftranscript|> 590 and the languages from 591, as
/// the fixture's prompt [590, 591, 595, 597] has them, and <|endoftext|> 599.
const std::string& whisper_dir() {
  static const std::string dir = [] {
    auto target = fs::temp_directory_path()
                  / ("parley_whisper_tiny_" + std::to_string(getpid()));
    fs::create_directories(target);
    for (const auto& entry : fs::directory_iterator(fixture_dir))
      fs::copy_file(entry.path(), target / entry.path().filename(),
                    fs::copy_options::overwrite_existing);
    std::ofstream vocab{target / "vocab.json"};
    vocab << "{";
    for (int id = 0; id < 590; ++id)
      vocab << (id ? ", " : "") << "\"\\u0120w" << id << "\": " << id;
    vocab << "}";
    std::ofstream{target / "added_tokens.json"} << R"({
      "<|startoftranscript|>": 590, "<|en|>": 591, "<|fr|>": 592,
      "<|de|>": 593, "<|es|>": 594, "<|transcribe|>": 595,
      "<|translate|>": 596, "<|notimestamps|>": 597, "<|nocaptions|>": 598,
      "<|endoftext|>": 599})";
    return target.string();
  }();
  return dir;
}

std::vector<float> fixture_waveform() {
  safetensors_file file{fixture_dir + "/expected.safetensors"};
  const auto& view = *file.find("waveform");
  const auto* values = static_cast<const float*>(view.data);
  return {values, values + view.numel()};
}

std::unique_ptr<transcription_backend>
make(std::map<std::string, std::string> options) {
  auto factory =
      backend_registry::builtin().factory_of<transcription_factory>("whisper");
  REQUIRE(factory != nullptr);
  return factory(backend_options{std::move(options)});
}

/// True when `text` is words "w<id>" with single spaces.
bool is_stand_in_text(const std::string& text) {
  if (text.empty())
    return false;
  size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find(' ', pos);
    if (end == std::string::npos)
      end = text.size();
    auto word = text.substr(pos, end - pos);
    if (word.size() < 2 || word[0] != 'w'
        || !std::all_of(word.begin() + 1, word.end(), ::isdigit))
      return false;
    pos = end + 1;
  }
  return true;
}

} // namespace

TEST_CASE("whisper is a built-in transcriber kind", "[models]") {
  auto registry = backend_registry::builtin();
  CHECK(registry.factory_of<transcription_factory>("whisper") != nullptr);
  CHECK(registry.task_of("whisper") == model_task::transcription);
}

TEST_CASE("the whisper transcriber needs a path and a known quantization",
          "[models]") {
  CHECK_THROWS_WITH(make({}), Catch::Contains("'path'"));
  CHECK_THROWS_WITH(make({{"path", whisper_dir()}, {"quantize", "int4"}}),
                    Catch::Contains("int4"));
  CHECK_THROWS_WITH(make({{"path", whisper_dir()}, {"compute_type", "int4"}}),
                    Catch::Contains("int4"));
  CHECK_THROWS_WITH(make({{"path", whisper_dir()}, {"num_beams", "0"}}),
                    Catch::Contains("num_beams"));
  CHECK_THROWS_WITH(make({{"path", fixture_dir}}),
                    Catch::Contains("vocab.json"));
}

TEST_CASE("the whisper transcriber takes windows of its encoder's length and "
          "lists its language tokens",
          "[models]") {
  auto backend = make({{"path", whisper_dir()}});
  // 32 audio positions are 64 mel frames of 10 ms
  CHECK(backend->window_seconds() == Approx(0.64));
  CHECK(backend->languages()
        == std::vector<std::string>{"en", "fr", "de", "es"});
}

TEST_CASE("the whisper transcriber transcribes a window in the asked language",
          "[models]") {
  auto backend = make({{"path", whisper_dir()}, {"name", "tiny"}});
  audio_window window;
  window.samples = fixture_waveform();
  window.offset_ms = 30000;
  window.language = "en-US";
  window.timestamps = false;
  auto result = backend->transcribe(window);
  CHECK(result.language == "en");
  CHECK(result.model == "tiny");
  CHECK(result.duration_ms == 10239 * 1000 / 16000);
  INFO(result.text);
  CHECK(is_stand_in_text(result.text));
  CHECK(result.confidence > 0.0f);
  CHECK(result.confidence <= 1.0f);
  // no timestamp tokens in this vocabulary: one segment for the window
  REQUIRE(result.segments.size() == 1);
  CHECK(result.segments[0].text == result.text);
  CHECK(result.segments[0].start_ms == 30000);
  CHECK(result.segments[0].end_ms == 30000 + result.duration_ms);
  window.timestamps = true;
  CHECK(backend->transcribe(window).segments.size() == 1);
}

TEST_CASE("the whisper transcriber detects the language when none is given",
          "[models]") {
  auto backend = make({{"path", whisper_dir()}, {"num_beams", "3"}});
  audio_window window;
  window.samples = fixture_waveform();
  auto result = backend->transcribe(window);
  auto languages = backend->languages();
  CHECK(std::find(languages.begin(), languages.end(), result.language)
        != languages.end());
  CHECK(result.model
        == "whisper:" + fs::path{whisper_dir()}.filename().string());
}

TEST_CASE("the whisper transcriber refuses a language it lacks", "[models]") {
  auto backend = make({{"path", whisper_dir()}});
  audio_window window;
  window.samples = fixture_waveform();
  window.language = "ja";
  CHECK_THROWS_AS(backend->transcribe(window), unsupported_language);
}

TEST_CASE("the whisper transcriber runs int8 and on empty or long windows",
          "[models]") {
  auto backend = make(
      {{"path", whisper_dir()}, {"quantize", "int8"}, {"max_new_tokens", "5"}});
  audio_window window;
  window.language = "fr";
  auto result = backend->transcribe(window);
  CHECK(result.language == "fr");
  CHECK(result.duration_ms == 0);
  // longer than the window: cut to it
  window.samples.assign(16000 * 2, 0.1f);
  result = backend->transcribe(window);
  CHECK(result.duration_ms == 640);
  CHECK(result.text.size() <= 5 * 5);
}
