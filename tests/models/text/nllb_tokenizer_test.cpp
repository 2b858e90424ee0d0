#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "models/text/nllb_tokenizer.hpp"
#include "tools/subprocess.hpp"

using Catch::Matchers::Contains;
using parley::nllb_tokenizer;
using parley::run_command;

namespace {

namespace fs = std::filesystem;

const fs::path fixture_dir = fs::path{PARLEY_FIXTURES_DIR} / "nllb-tiny";
const fs::path fixture_model = fixture_dir / "sentencepiece.bpe.model";
// From the fixture README: 1000 pieces, then the four languages and <mask>.
constexpr int64_t fixture_vocab = 1006;

/// A scratch checkpoint directory holding the fixture's SentencePiece model;
/// removed on destruction.
struct scratch_dir {
  scratch_dir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path()
           / ("parley_tokenizer_" + std::to_string(getpid()) + "_"
              + std::to_string(counter++));
    fs::create_directories(path);
    fs::copy_file(fixture_model, path / "sentencepiece.bpe.model");
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream{path / name} << text;
  }
  std::string str() const {
    return path.string();
  }
  fs::path path;
};

const std::string fixture_languages_map =
    R"({"bos_token": "<s>", "eos_token": "</s>",
        "additional_special_tokens": ["eng_Latn", "fra_Latn", "spa_Latn",
                                      "deu_Latn"]})";

std::vector<int64_t> spm_encode_ids(const std::string& text) {
  auto result =
      run_command({"/usr/bin/spm_encode", "--model=" + fixture_model.string(),
                   "--output_format=id"},
                  text + "\n");
  REQUIRE(result.exit_status == 0);
  std::istringstream in{result.out};
  std::vector<int64_t> ids;
  for (int64_t id; in >> id;) {
    ids.push_back(id);
  }
  return ids;
}

std::string spm_decode_ids(const std::vector<int64_t>& ids) {
  std::string line;
  for (auto id : ids) {
    line += (line.empty() ? "" : " ") + std::to_string(id);
  }
  auto result =
      run_command({"/usr/bin/spm_decode", "--model=" + fixture_model.string(),
                   "--input_format=id"},
                  line + "\n");
  REQUIRE(result.exit_status == 0);
  auto text = result.out;
  if (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

const std::vector<std::string> sentences = {
    "Hello world.",
    "The quick brown fox jumps over the lazy dog!",
    "  Spaces   around and inside  ",
    "Numbers 3.14 and 1,000 and e-mail bob@example.org",
    "Unknown characters like 漢字 and ☃ map to <unk>.",
    "eng_Latn </s> <pad> are ordinary text here",
};

} // namespace

TEST_CASE(
    "encoding gives the language, sentencepiece's ids plus one, then </s>",
    "[models]") {
  scratch_dir dir;
  dir.write("special_tokens_map.json", fixture_languages_map);
  nllb_tokenizer tokenizer{dir.str(), fixture_vocab};
  bool saw_unknown = false;
  for (const auto& text : sentences) {
    INFO(text);
    // Hugging Face's rule: piece p is p + 1, sentencepiece's <unk> (0) is 3.
    std::vector<int64_t> expected = {1001};
    for (auto piece : spm_encode_ids(text)) {
      expected.push_back(piece == 0 ? 3 : piece + 1);
      saw_unknown = saw_unknown || piece == 0;
    }
    expected.push_back(2);
    CHECK(tokenizer.encode(text, "eng_Latn") == expected);
  }
  CHECK(saw_unknown);
  CHECK(tokenizer.encode("Hello world.", "deu_Latn").front() == 1004);
}

TEST_CASE("truncation keeps the language first and </s> last within max_tokens",
          "[models]") {
  scratch_dir dir;
  dir.write("special_tokens_map.json", fixture_languages_map);
  nllb_tokenizer tokenizer{dir.str(), fixture_vocab};
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "The quick brown fox jumps over the lazy dog. ";
  }
  auto pieces = spm_encode_ids(text);
  REQUIRE(pieces.size() > 510);
  auto ids = tokenizer.encode(text, "fra_Latn");
  REQUIRE(ids.size() == 512);
  CHECK(ids.front() == 1002);
  CHECK(ids.back() == 2);
  for (size_t max_tokens : {2u, 3u, 10u}) {
    auto cut = tokenizer.encode(text, "fra_Latn", max_tokens);
    REQUIRE(cut.size() == max_tokens);
    CHECK(cut.front() == 1002);
    CHECK(cut.back() == 2);
    for (size_t i = 1; i + 1 < cut.size(); ++i) {
      CHECK(cut[i] == pieces[i - 1] + 1);
    }
  }
  CHECK(tokenizer.encode("Hi", "fra_Latn", 100).size() < 100);
  CHECK_THROWS_AS(tokenizer.encode(text, "fra_Latn", 1), std::invalid_argument);
  CHECK_THROWS_AS(tokenizer.encode(text, "ita_Latn"), std::invalid_argument);
}

TEST_CASE("special_tokens_map.json numbers the languages after the pieces",
          "[models]") {
  scratch_dir dir;
  dir.write("special_tokens_map.json", fixture_languages_map);
  nllb_tokenizer tokenizer{dir.str(), fixture_vocab};
  CHECK(tokenizer.language_id("eng_Latn") == 1001);
  CHECK(tokenizer.language_id("fra_Latn") == 1002);
  CHECK(tokenizer.language_id("spa_Latn") == 1003);
  CHECK(tokenizer.language_id("deu_Latn") == 1004);
  CHECK_FALSE(tokenizer.language_id("ita_Latn"));
  CHECK(tokenizer.mask_id() == 1005);
  CHECK(tokenizer.vocab_size() == 1006);
  CHECK(tokenizer.languages()
        == std::vector<std::string>{"eng_Latn", "fra_Latn", "spa_Latn",
                                    "deu_Latn"});
}

TEST_CASE("tokenizer.json gives the language ids of its added tokens",
          "[models]") {
  scratch_dir dir;
  dir.write("tokenizer.json", R"({"version": "1.0", "added_tokens": [
      {"id": 0, "content": "<s>", "special": true},
      {"id": 1, "content": "<pad>", "special": true},
      {"id": 2, "content": "</s>", "special": true},
      {"id": 3, "content": "<unk>", "special": true},
      {"id": 1003, "content": "eng_Latn", "special": true},
      {"id": 1001, "content": "deu_Latn", "special": true},
      {"id": 1002, "content": "fra_Latn", "special": true},
      {"id": 1004, "content": "spa_Latn", "special": true},
      {"id": 1005, "content": "<mask>", "special": true}]})");
  // A special_tokens_map.json in another order must lose to tokenizer.json.
  dir.write("special_tokens_map.json", fixture_languages_map);
  nllb_tokenizer tokenizer{dir.str(), fixture_vocab};
  CHECK(tokenizer.language_id("deu_Latn") == 1001);
  CHECK(tokenizer.language_id("fra_Latn") == 1002);
  CHECK(tokenizer.language_id("eng_Latn") == 1003);
  CHECK(tokenizer.language_id("spa_Latn") == 1004);
  CHECK(tokenizer.mask_id() == 1005);
  CHECK(tokenizer.languages()
        == std::vector<std::string>{"deu_Latn", "fra_Latn", "eng_Latn",
                                    "spa_Latn"});
  CHECK(tokenizer.encode("Hello", "eng_Latn").front() == 1003);
}

TEST_CASE("without tokenizer files the standard 202 codes follow the pieces",
          "[models]") {
  scratch_dir dir;
  nllb_tokenizer tokenizer{dir.str(), 1000 + 1 + 202 + 1};
  CHECK(tokenizer.languages().size() == 202);
  CHECK(tokenizer.language_id("ace_Arab") == 1001);
  CHECK(tokenizer.language_id("eng_Latn") == 1001 + 46);
  CHECK(tokenizer.language_id("zul_Latn") == 1202);
  CHECK(tokenizer.mask_id() == 1203);
}

TEST_CASE("the 202 standard codes do not fit a 1006-id vocabulary",
          "[models]") {
  scratch_dir dir;
  CHECK_THROWS_WITH(nllb_tokenizer(dir.str(), fixture_vocab),
                    Contains("1006") && Contains("202"));
}

TEST_CASE("language ids beyond the vocabulary are refused", "[models]") {
  scratch_dir dir;
  dir.write("tokenizer.json", R"({"added_tokens": [
      {"id": 1001, "content": "eng_Latn"}, {"id": 1006, "content": "fra_Latn"}]})");
  CHECK_THROWS_WITH(nllb_tokenizer(dir.str(), fixture_vocab),
                    Contains("fra_Latn") && Contains("1006"));
}

TEST_CASE("a missing or corrupt model file is a clear error", "[models]") {
  scratch_dir dir;
  fs::remove(dir.path / "sentencepiece.bpe.model");
  CHECK_THROWS_WITH(nllb_tokenizer(dir.str(), fixture_vocab),
                    Contains("missing") && Contains("sentencepiece.bpe.model"));
  dir.write("sentencepiece.bpe.model", "this is not a protobuf \xff\xfe");
  CHECK_THROWS_WITH(nllb_tokenizer(dir.str(), fixture_vocab),
                    Contains("sentencepiece.bpe.model"));
  CHECK_THROWS_AS(nllb_tokenizer(dir.str(), fixture_vocab), std::runtime_error);
}

TEST_CASE("malformed tokenizer JSON is a clear error", "[models]") {
  scratch_dir dir;
  dir.write("special_tokens_map.json", "{\"additional_special_tokens\": [");
  CHECK_THROWS_WITH(nllb_tokenizer(dir.str(), fixture_vocab),
                    Contains("special_tokens_map.json"));
}

TEST_CASE("a model with more pieces than the vocabulary is refused",
          "[models]") {
  scratch_dir dir;
  CHECK_THROWS_WITH(nllb_tokenizer(dir.str(), 900), Contains("1000 pieces"));
}

TEST_CASE("decoding drops special ids and matches sentencepiece's decoder",
          "[models]") {
  scratch_dir dir;
  dir.write("special_tokens_map.json", fixture_languages_map);
  nllb_tokenizer tokenizer{dir.str(), fixture_vocab};
  for (const auto& text : sentences) {
    INFO(text);
    auto pieces = spm_encode_ids(text);
    std::vector<int64_t> known;
    for (auto piece : pieces) {
      if (piece != 0) {
        known.push_back(piece);
      }
    }
    auto ids = tokenizer.encode(text, "spa_Latn");
    CHECK(tokenizer.decode(ids) == spm_decode_ids(known));
    // Padding, <s>, <mask> and other language codes say nothing either.
    ids.insert(ids.begin(), {0, 1004});
    ids.insert(ids.end(), {1, 1, 1005});
    CHECK(tokenizer.decode(ids) == spm_decode_ids(known));
  }
  CHECK(tokenizer.decode({}) == "");
  CHECK(tokenizer.decode({2, 1001, 1, 1}) == "");
}
