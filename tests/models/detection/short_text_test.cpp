// Short chat messages: decided among the candidate languages by their words,
// letters and CLD2's top candidates, with the conversation as a prior. The
// accuracy test runs the hand-labelled set of tests/data.

#include <catch2/catch.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "models/detection/candidate_set.hpp"
#include "models/detection/source_detection.hpp"
#include "models/detection/word_folding.hpp"
#include "models/detection/word_tables.hpp"
#include "server/config_file.hpp"
#include "tools/detection_accuracy.hpp"

using namespace parley;

namespace {

const detect_function& detector() {
  static const auto detect = make_detect_function(detection_config{});
  return detect;
}

language_detection detect(const std::string& text,
                          detection_context context = {}) {
  return detector()(text, context);
}

detection_context in_conversation(std::vector<std::string> recent) {
  detection_context context;
  context.history.conversation = std::move(recent);
  return context;
}

} // namespace

TEST_CASE("short chat messages are detected right in their language at 95% "
          "or more",
          "[models][detection]") {
  auto messages =
      read_labelled_messages(PARLEY_TESTS_DIR "/data/short_chat_messages.tsv");
  REQUIRE(messages.size() >= 300);
  // As the default parleyd runs: the chat languages and the embedded
  // Apertium's source languages.
  auto defaults = parse_config("");
  auto candidates = configured_candidates(defaults.runtime);
  auto detect_served =
      make_detect_function(defaults.runtime.detection, candidates);
  auto parley = measure_accuracy(
      messages,
      [&](const std::string& text) {
        return detect_served(text, detection_context{}).language;
      },
      candidates->snapshot());
  auto cld2 = measure_accuracy(messages, cld2_alone, candidates->snapshot());
  std::cout << "short chat messages, candidate languages and others (*):\n"
            << accuracy_table(parley, cld2);
  size_t candidate_languages = 0;
  for (const auto& language : parley.languages)
    candidate_languages += language.candidate ? 1 : 0;
  CHECK(candidate_languages >= 12);
  auto [right, total] = parley.totals(true);
  CHECK(static_cast<double>(right) >= 0.95 * static_cast<double>(total));
}

TEST_CASE("the short messages CLD2 alone gets wrong are decided among the "
          "candidates",
          "[models][detection]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"it", "grazie mille"}, {"de", "wo bist du?"},
      {"es", "ya voy"},       {"it", "a domani"},
      {"ru", "до завтра"},    {"de", "ich komme gleich"},
      {"fr", "à demain"},     {"en", "hello handsome"},
      {"fr", "t'es où ?"},    {"es", "q tal"},
      {"fr", "tkt"},          {"pt", "nao sei"},
  };
  for (const auto& [language, text] : cases) {
    auto result = detect(text);
    INFO(text << " → " << result.language << " (" << to_string(result.method)
              << "): " << result.note);
    CHECK(result.language == language);
    CHECK(result.method == detection_method::words);
  }
}

TEST_CASE("every detection names its top candidates with scores, best first",
          "[models][detection]") {
  auto result = detect("obrigado pela ajuda");
  REQUIRE(!result.candidates.empty());
  CHECK(result.candidates.size() <= 3);
  CHECK(result.candidates.front().language == result.language);
  float sum = 0;
  for (size_t i = 0; i < result.candidates.size(); ++i) {
    sum += result.candidates[i].score;
    if (i > 0)
      CHECK(result.candidates[i].score <= result.candidates[i - 1].score);
  }
  CHECK(sum <= 1.001f);
  CHECK(result.confidence == Approx(result.candidates.front().score));
}

TEST_CASE("the conversation decides what the text cannot, and never over "
          "the text",
          "[models][detection]") {
  auto french = in_conversation({"fr", "fr", "fr"});
  auto merci = detect("ok merci", french);
  CHECK(merci.language == "fr");
  auto ok = detect("ok", french);
  CHECK(ok.language == "fr");
  CHECK(ok.method == detection_method::conversation);
  CHECK_FALSE(detect("ok").language == "fr");
  auto spanish = detect("¿qué hora es?", french);
  CHECK(spanish.language == "es");
  CHECK(spanish.method == detection_method::words);

  // Russian wins "до завтра" on chat usage, unless the chat is Ukrainian.
  CHECK(detect("до завтра").language == "ru");
  auto ukrainian = detect("до завтра", in_conversation({"uk", "uk"}));
  CHECK(ukrainian.language == "uk");
  CHECK(ukrainian.method == detection_method::conversation);

  detection_context sender;
  sender.history.sender = {"it", "it"};
  CHECK(detect("ok", sender).language == "it");
}

TEST_CASE("a hint decides an ambiguous text and keeps its region",
          "[models][detection]") {
  detection_context hinted;
  hinted.hints = {"pt_BR"};
  auto result = detect("ok", hinted);
  CHECK(result.language == "pt-br");
  CHECK(result.method == detection_method::hint);
  // The text outweighs the hint.
  CHECK(detect("merci beaucoup", hinted).language == "fr");
}

TEST_CASE("an unserved language is not picked on two words, but long "
          "reliable text is reported as it is",
          "[models][detection]") {
  detection_config config;
  auto two_words = detect("grazie mille");
  CHECK(two_words.language == "it");
  auto swedish = detect("Vi ses i morgon efter jobbet, jag ringer dig när "
                        "jag är hemma igen.");
  CHECK(swedish.language == "sv");
  CHECK(swedish.method == detection_method::detector);
}

TEST_CASE("words fold to lowercase without diacritics, apostrophes kept "
          "inside words",
          "[models][detection]") {
  using detection::fold_word;
  using detection::folded_words;
  CHECK(fold_word("À") == "a");
  CHECK(fold_word("DEMAIN") == "demain");
  CHECK(fold_word("Straße") == "strasse");
  CHECK(fold_word("Łódź") == "lodz");
  CHECK(fold_word("được") == "duoc");
  CHECK(fold_word("Ещё") == "еще");
  CHECK(fold_word("Їжак") == "їжак");
  CHECK(fold_word("İyi") == "iyi");
  CHECK(folded_words("T’es où?? 😂 @ana")
        == std::vector<std::string>{"t'es", "ou", "ana"});
  CHECK(folded_words("'quoted' a1b")
        == std::vector<std::string>{"quoted", "a", "b"});
}

TEST_CASE("the embedded word tables hold each language's dictionary and "
          "chat words",
          "[models][detection]") {
  const auto& tables = detection::word_tables::embedded();
  for (auto language : {"en", "es", "pt", "fr", "de", "it", "ca", "nl", "pl",
                        "ru", "uk", "tr", "id", "vi"}) {
    INFO(language);
    auto index = tables.index_of(language);
    REQUIRE(index >= 0);
    // Vietnamese is written syllable by syllable: its dictionary holds
    // about 1,500 syllables once tones are folded.
    CHECK(tables.dictionary_size(index) > 1000);
  }
  auto fr = tables.index_of("fr");
  auto hash = [](const char* word) {
    return detection::word_hash(detection::fold_word(word));
  };
  CHECK(tables.is_chat_word(fr, hash("merci")));
  CHECK(tables.in_dictionary(fr, hash("fenêtre")));
  CHECK_FALSE(tables.is_chat_word(fr, hash("window")));
  // The Bloom filter's false positives stay near its design rate of 1%.
  size_t false_positives = 0;
  for (int i = 0; i < 10000; ++i)
    false_positives += tables.in_dictionary(
        fr, hash(("zqx" + std::to_string(i) + "vk").c_str()));
  CHECK(false_positives < 300);
}

TEST_CASE("the candidate set takes served languages by their primary subtag",
          "[models][detection]") {
  detection::candidate_set set({"fr", "en"});
  set.add({"pt-BR", "gl", "fr", "x", "eng_Latn"});
  CHECK(set.snapshot()
        == std::vector<std::string>{"en", "eng", "fr", "gl", "pt"});
}

TEST_CASE("a marked-up text is detected by its text nodes, not its tags",
          "[models][detection]") {
  const std::string html =
      "<div class=\"message-body\" title=\"the weather is lovely today and "
      "we are going out\"><p>Je serai en retard ce soir, <b>ne "
      "m'attendez pas</b>.</p></div>";
  detection_context markup;
  markup.markup = true;
  auto result = detect(html, markup);
  CHECK(result.language == "fr");
}
