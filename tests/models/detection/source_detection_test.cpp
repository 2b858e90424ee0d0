// Source-language detection with the real CLD2 tables: the detector on
// sentences in many languages and scripts, and the documented fallbacks for
// texts it cannot judge.

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/detection/language_detector.hpp"
#include "models/detection/script.hpp"
#include "models/detection/source_detection.hpp"

using namespace parley;

namespace {

const detection::language_detector& cld2() {
  static auto detector = detection::make_cld2_detector();
  return *detector;
}

language_detection detect(const std::string& text,
                          const std::vector<std::string>& hints = {},
                          detection_config config = {}) {
  return detect_source(cld2(), config, config.languages, text, {hints, {}});
}

} // namespace

TEST_CASE("chat sentences in twenty languages and six scripts are detected "
          "reliably",
          "[models][detection]") {
  // Written for this test; several are languages the embedded Apertium does
  // not translate (de, nl, pl, tr, sv, ar, zh, ja, ko, hi, el, he).
  const std::vector<std::pair<std::string, std::string>> sentences = {
      {"en", "The weather is lovely today and we are going to the beach with "
             "the children after lunch."},
      {"fr", "Je pense que nous devrions partir demain matin avant qu'il ne "
             "fasse trop chaud sur la route."},
      {"es", "Mañana vamos a visitar a mis abuelos, que viven en un pueblo "
             "pequeño cerca de la montaña."},
      {"pt", "Ontem à noite fomos jantar num restaurante novo perto da praia e "
             "a comida estava ótima."},
      {"it", "Domani sera andiamo al cinema con i nostri amici, vuoi venire "
             "con noi a vedere il film?"},
      {"de", "Wir haben gestern den ganzen Tag im Garten gearbeitet und am "
             "Abend zusammen gegrillt."},
      {"nl", "Morgen gaan we met de fiets naar het strand als het weer een "
             "beetje meezit."},
      {"ca", "Demà al matí anirem al mercat a comprar fruita i verdura per a "
             "tota la setmana."},
      {"pl", "Wczoraj wieczorem byliśmy w kinie i film bardzo nam się "
             "podobał, więc pójdziemy jeszcze raz."},
      {"tr", "Yarın sabah erkenden yola çıkacağız, bu yüzden bu gece erken "
             "yatmamız gerekiyor."},
      {"sv", "Vi ska åka ut på landet i helgen och hälsa på min mormor och "
             "morfar som bor vid sjön."},
      {"ru", "Завтра утром мы поедем на дачу и будем весь день работать в "
             "саду вместе с родителями."},
      {"uk", "Завтра ми підемо до бабусі, бо вона запросила нас на святковий "
             "обід у неділю."},
      {"ar", "سنذهب غدا إلى السوق لشراء الخضار والفواكه لكل أيام الأسبوع "
             "القادم."},
      {"zh",
       "我们明天早上去公园散步，然后一起在附近的餐厅吃午饭，下午再回家休息。"},
      {"ja",
       "明日の朝、友達と一緒に公園を散歩してから、近くのレストランで昼ごはん"
       "を食べます。"},
      {"ko",
       "내일 아침에 친구들과 함께 공원에서 산책하고 근처 식당에서 점심을 먹을 "
       "거예요."},
      {"hi", "कल सुबह हम अपने दोस्तों के साथ पार्क में घूमने जाएंगे और फिर साथ में "
             "खाना खाएंगे।"},
      {"el", "Αύριο το πρωί θα πάμε στην παραλία με τους φίλους μας και θα "
             "φάμε μεσημεριανό εκεί."},
      {"he", "מחר בבוקר נלך לים עם החברים שלנו ואחר כך נאכל ארוחת צהריים "
             "במסעדה."},
  };
  for (const auto& [language, text] : sentences) {
    INFO(language << ": " << text);
    auto result = detect(text);
    CHECK(result.language == language);
    CHECK(result.method == detection_method::detector);
    CHECK(result.reliable);
    CHECK(result.confidence >= 0.5f);
    CHECK(result.confidence <= 1.0f);
  }
}

TEST_CASE("a reliable detection beats the request's hint and the default",
          "[models][detection]") {
  detection_config config;
  config.default_language = "de";
  auto result = detect("Je pense que nous devrions partir demain matin avant "
                       "qu'il ne fasse trop chaud.",
                       {"es"}, config);
  CHECK(result.language == "fr");
  CHECK(result.method == detection_method::detector);
}

TEST_CASE("a short text nothing in which is known goes to the hint, the "
          "default, or the candidate most used in chat, and says so",
          "[models][detection]") {
  for (std::string text : {"ok", "lol"}) {
    INFO(text);
    auto bare = detect(text);
    CHECK_FALSE(bare.method == detection_method::detector);
    CHECK(bare.method == detection_method::script);
    CHECK(bare.language == "en");
    CHECK(bare.script == "Latin");
    CHECK_THAT(bare.note, Catch::Contains("Latin script")
                              && Catch::Contains("most used in chat"));

    auto hinted = detect(text, {"auto", "pt_BR", "fr"});
    CHECK(hinted.method == detection_method::hint);
    CHECK(hinted.language == "pt-br"); // the first usable hint
    CHECK_THAT(hinted.note, Catch::Contains("hint"));

    detection_config config;
    config.default_language = "es";
    auto defaulted = detect(text, {}, config);
    CHECK(defaulted.method == detection_method::configured_default);
    CHECK(defaulted.language == "es");
    CHECK_THAT(defaulted.note, Catch::Contains("default"));
  }
}

TEST_CASE("emoji, a URL or digits alone are undetermined unless a hint or "
          "default applies",
          "[models][detection]") {
  for (std::string text : {"😂👍🎉", "https://example.com/watch?v=abc123",
                           "@marie www.example.org", "12:30 3.14 !!!"}) {
    INFO(text);
    auto bare = detect(text);
    CHECK(bare.method == detection_method::undetermined);
    CHECK(bare.language.empty());
    CHECK(bare.script.empty());
    CHECK_THAT(bare.note, Catch::Contains("no letters"));

    auto hinted = detect(text, {"it"});
    CHECK(hinted.method == detection_method::hint);
    CHECK(hinted.language == "it");

    detection_config config;
    config.default_language = "ca";
    auto defaulted = detect(text, {}, config);
    CHECK(defaulted.method == detection_method::configured_default);
    CHECK(defaulted.language == "ca");
  }
}

TEST_CASE("a short text is decided among the candidates written in its "
          "script",
          "[models][detection]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ок", "ru"},  {"好", "zh"}, {"はい", "ja"},    {"네", "ko"},
      {"نعم", "ar"}, {"हाँ", "hi"}, {"Bonjour", "fr"}, {"Gracias", "es"},
  };
  for (const auto& [text, language] : cases) {
    INFO(text);
    auto result = detect(text);
    CHECK(result.language == language);
    CHECK((result.method == detection_method::words
           || result.method == detection_method::script));
    CHECK_FALSE(result.detector_guess.empty());
  }
  // CLD2 guesses 好 alone as Japanese; without kana the text is Han, whose
  // one candidate is Chinese.
  auto han = detect("好");
  CHECK(han.script == "Han");
  CHECK_THAT(han.note, Catch::Contains("Han script"));
  // A script no candidate is written in: CLD2's guess in that script.
  auto greek = detect("Καλημέρα");
  CHECK(greek.language == "el");
  CHECK(greek.method == detection_method::script);
}

TEST_CASE("min_letters lets the detector decide shorter texts",
          "[models][detection]") {
  detection_config config;
  config.min_letters = 1;
  auto result = detect("Bonjour", {}, config);
  CHECK(result.method == detection_method::detector);
  CHECK(result.language == "fr");
}

TEST_CASE("a minimum confidence above what the detector reaches sends the "
          "text to the candidates, where both halves count",
          "[models][detection]") {
  detection_config config;
  config.min_confidence = 1.0;
  // Half French, half English: no language reaches 100% of the text.
  auto result = detect("Je pense que nous devrions partir demain matin avant "
                       "qu'il ne fasse trop chaud. The weather is lovely "
                       "today and we are going to the beach with the "
                       "children.",
                       {"en"}, config);
  CHECK_FALSE(result.method == detection_method::detector);
  REQUIRE(result.candidates.size() >= 2);
  std::vector<std::string> top_two{result.candidates[0].language,
                                   result.candidates[1].language};
  std::sort(top_two.begin(), top_two.end());
  CHECK(top_two == std::vector<std::string>{"en", "fr"});
  CHECK(result.language == result.candidates[0].language);
  CHECK(result.confidence > 0.0f);
  CHECK(result.confidence < 1.0f);
  CHECK_FALSE(result.detector_guess.empty());
}

TEST_CASE("URLs, mentions and emoji are left out of what the detector reads",
          "[models][detection]") {
  auto text = detectable_text("Regarde https://example.com/english-words 😂 "
                              "@john_smith c'est drôle");
  CHECK(text.find("example") == std::string::npos);
  CHECK(text.find("john") == std::string::npos);
  CHECK(text.find("😂") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("Regarde") && Catch::Contains("drôle"));
}

TEST_CASE("hints are normalized and unusable ones skipped",
          "[models][detection]") {
  CHECK(normalize_hint("pt_BR") == "pt-br");
  CHECK(normalize_hint("FR") == "fr");
  CHECK(normalize_hint("zh-Hant") == "zh-hant");
  CHECK(normalize_hint("auto").empty());
  CHECK(normalize_hint("und").empty());
  CHECK(normalize_hint("").empty());
  CHECK(normalize_hint("e").empty());
  CHECK(normalize_hint("fr; DROP").empty());
}

TEST_CASE("an unknown engine or a bad setting is refused at start",
          "[models][detection]") {
  detection_config engine;
  engine.engine = "fasttext";
  CHECK_THROWS_AS(make_detect_function(engine), std::invalid_argument);
  detection_config language;
  language.default_language = "not a language";
  CHECK_THROWS_AS(make_detect_function(language), std::invalid_argument);
  detection_config off;
  off.engine = "off";
  CHECK_FALSE(make_detect_function(off));
  auto cld2_function = make_detect_function({});
  REQUIRE(cld2_function);
  CHECK(cld2_function("Wir haben gestern den ganzen Tag im Garten gearbeitet "
                      "und am Abend gegrillt.",
                      {})
            .language
        == "de");
}

TEST_CASE("the script of a text is the script of most of its letters",
          "[models][detection]") {
  auto mixed = detection::dominant_script("Привет, how are you, мой друг?");
  CHECK(mixed.script == "Cyrillic");
  CHECK(mixed.language == "ru");
  CHECK(mixed.all_letters == 22);
  // Japanese mixes kanji and kana: any kana makes it Japanese.
  CHECK(detection::dominant_script("日本語を話します").script == "Kana");
  CHECK(detection::dominant_script("中文").script == "Han");
  CHECK(detection::dominant_script("123 😂 !").script.empty());
  CHECK(detection::language_of_script("Devanagari") == "hi");
  CHECK(detection::language_of_script("Klingon").empty());
  CHECK(detection::script_of_language("uk") == "Cyrillic");
  CHECK(detection::script_of_language("zh-Hant") == "Han");
  CHECK(detection::script_of_language("fr") == "Latin");
}
