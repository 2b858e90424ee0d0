// Byte-level BPE decoding and the special tokens of Whisper vocabularies.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "models/whisper/segments.hpp"
#include "models/whisper/tokenizer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley;
using namespace parley::whisper;
namespace fs = std::filesystem;
using parley::test::temp_dir;

namespace {

/// A temporary directory to write tokenizer files in.
struct files_dir : temp_dir {
  void write(const std::string& name, const std::string& text) const {
    std::ofstream{path / name} << text;
  }
};

// Token strings as GPT-2's reference bytes_to_unicode writes them:
// "Ġ" (U+0120) is a space, "Ã©" is é (C3 A9), "ðŁĺĢ" is 😀 (F0 9F 98 80),
// "æĹ¥" and "æľ¬" are 日 and 本, "Ċ" is a newline.
constexpr const char* vocab_json = R"({
  "Ġhello": 0, "Ġwor": 1, "ld": 2, "!": 3, "Ġcaf": 4, "Ã": 5, "©": 6,
  "ðŁ": 7, "ĺĢ": 8, "æĹ¥": 9, "æľ¬": 10, "Ċ": 11, "Ġ": 12,
  "<|endoftext|>": 13
})";

constexpr const char* added_tokens_json = R"({
  "<|startoftranscript|>": 14, "<|en|>": 15, "<|fr|>": 16, "<|haw|>": 17,
  "<|translate|>": 18, "<|transcribe|>": 19, "<|startoflm|>": 20,
  "<|startofprev|>": 21, "<|nocaptions|>": 22, "<|notimestamps|>": 23
})";

tokenizer test_tokenizer(const files_dir& dir) {
  dir.write("vocab.json", vocab_json);
  dir.write("added_tokens.json", added_tokens_json);
  return tokenizer::load(dir.path.string());
}

} // namespace

TEST_CASE("the byte-to-unicode map is GPT-2's and its inverse round-trips "
          "all 256 bytes",
          "[models]") {
  const auto& forward = bytes_to_unicode();
  std::set<char32_t> seen;
  for (int b = 0; b < 256; ++b) {
    seen.insert(forward[b]);
    CHECK(unicode_to_byte(forward[b]) == b);
  }
  CHECK(seen.size() == 256);
  CHECK(forward['A'] == U'A');
  CHECK(forward['!'] == U'!');
  CHECK(forward[' '] == U'\u0120');  // Ġ
  CHECK(forward['\n'] == U'\u010A'); // Ċ
  CHECK(forward[0] == U'\u0100');
  CHECK(forward[0xAD] == U'\u0143'); // the soft hyphen is not printable
  CHECK(unicode_to_byte(U'\u4E00') == -1);
}

TEST_CASE("byte-level tokens decode to UTF-8, characters split across tokens "
          "joined",
          "[models]") {
  files_dir dir;
  auto vocabulary = test_tokenizer(dir);
  CHECK(vocabulary.decode({0, 1, 2, 3}) == " hello world!");
  CHECK(vocabulary.decode({4, 5, 6}) == " caf\xC3\xA9");  // " café"
  CHECK(vocabulary.decode({7, 8}) == "\xF0\x9F\x98\x80"); // 😀
  CHECK(vocabulary.decode({9, 10, 11}) == "\xE6\x97\xA5\xE6\x9C\xAC\n");
  // half a character at the end cannot be UTF-8
  CHECK(vocabulary.decode({4, 5}) == " caf\xEF\xBF\xBD");
}

TEST_CASE("special tokens are dropped from the text and unknown ids ignored",
          "[models]") {
  files_dir dir;
  auto vocabulary = test_tokenizer(dir);
  CHECK(vocabulary.decode({14, 15, 19, 23, 0, 13}) == " hello");
  CHECK(vocabulary.decode({0, 999, 1, 2}) == " hello world");
  CHECK(vocabulary.is_special(13));
  CHECK(vocabulary.is_special(15));
  CHECK_FALSE(vocabulary.is_special(0));
}

TEST_CASE("the language and control tokens are found by their text",
          "[models]") {
  files_dir dir;
  auto vocabulary = test_tokenizer(dir);
  REQUIRE(vocabulary.languages().size() == 3);
  CHECK(vocabulary.languages()[0]
        == std::make_pair(std::string{"en"}, int64_t{15}));
  CHECK(vocabulary.languages()[2].first == "haw");
  CHECK(vocabulary.language_id("fr") == 16);
  CHECK_FALSE(vocabulary.language_id("de"));
  // The timestamps are not listed: they follow <|notimestamps|>.
  auto s = vocabulary.specials(/*vocab_size=*/100);
  CHECK(s.eot == 13);
  CHECK(s.sot == 14);
  CHECK(s.translate == 18);
  CHECK(s.transcribe == 19);
  CHECK(s.sot_lm == 20);
  CHECK(s.sot_prev == 21);
  CHECK(s.no_speech == 22);
  CHECK(s.no_timestamps == 23);
  CHECK(s.timestamp_begin == 24);
  // A vocabulary that ends at <|notimestamps|> has no timestamps.
  CHECK(vocabulary.specials(/*vocab_size=*/24).timestamp_begin == -1);
}

TEST_CASE("tokenizer.json's vocabulary and added tokens serve when there is "
          "no vocab.json",
          "[models]") {
  files_dir dir;
  dir.write("tokenizer.json", R"({
    "added_tokens": [{"id": 3, "content": "<|endoftext|>", "special": true},
                     {"id": 4, "content": "<|de|>", "special": true},
                     {"id": 5, "content": "<|0.00|>", "special": true}],
    "model": {"type": "BPE", "vocab": {"Ġja": 0, "wohl": 1, "!": 2}}})");
  auto vocabulary = tokenizer::load(dir.path.string());
  CHECK(vocabulary.decode({0, 1, 2, 3}) == " jawohl!");
  CHECK(vocabulary.language_id("de") == 4);
  CHECK(vocabulary.specials(/*vocab_size=*/10).timestamp_begin == 5);
}

TEST_CASE("a directory without a vocabulary fails naming it", "[models]") {
  files_dir dir;
  CHECK_THROWS_WITH(tokenizer::load(dir.path.string()),
                    Catch::Contains("no vocab.json")
                        && Catch::Contains(dir.path.string()));
  dir.write("vocab.json", "[1, 2]");
  CHECK_THROWS_WITH(tokenizer::load(dir.path.string()),
                    Catch::Contains("vocab.json"));
}

TEST_CASE("timestamp tokens cut the text into segments of 20 ms steps",
          "[models]") {
  files_dir dir;
  auto vocabulary = test_tokenizer(dir);
  // timestamp_begin 24: token 24 + n is n × 20 ms
  std::vector<int64_t> tokens = {24,      0, 1, 2, 24 + 50,
                                 24 + 50, 4, 5, 6, 24 + 120};
  std::vector<float> log_probs(tokens.size(), std::log(0.5f));
  auto segments = timestamp_segments(tokens, log_probs, /*timestamp_begin=*/24,
                                     vocabulary, /*offset_ms=*/30000,
                                     /*duration_ms=*/5000);
  REQUIRE(segments.size() == 2);
  CHECK(segments[0].text == "hello world");
  CHECK(segments[0].start_ms == 30000);
  CHECK(segments[0].end_ms == 31000);
  CHECK(segments[0].confidence == Approx(0.5));
  CHECK(segments[1].text == "caf\xC3\xA9");
  CHECK(segments[1].start_ms == 31000);
  CHECK(segments[1].end_ms == 32400);
  // Text after an opening timestamp and no closing one runs to the end.
  segments =
      timestamp_segments({24 + 10, 0, 1, 2}, {0, 0, 0, 0}, 24, vocabulary,
                         /*offset_ms=*/0, /*duration_ms=*/3000);
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].start_ms == 200);
  CHECK(segments[0].end_ms == 3000);
  // Timestamps in the padding after the audio end with it.
  segments = timestamp_segments({24 + 10, 0, 24 + 400}, {0, 0, 0}, 24,
                                vocabulary, /*offset_ms=*/1000,
                                /*duration_ms=*/2500);
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].start_ms == 1200);
  CHECK(segments[0].end_ms == 3500);
}
