#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "models/text/text_structure.hpp"

using parley::structured_text;

namespace {

using translator = std::function<std::string(const std::string&)>;

std::string translate(const std::string& text, const translator& f) {
  auto parsed = structured_text::parse(text);
  std::vector<std::string> out;
  for (const auto& sentence : parsed.sentences()) {
    out.push_back(f(sentence));
  }
  return parsed.rebuild(out);
}

std::string upper_ascii(std::string text) {
  for (auto& c : text) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return text;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + what.size())) {
    ++n;
  }
  return n;
}

// Removes every "[[N]]" the way a model that ignores placeholders would.
std::string drop_placeholders(std::string text) {
  for (auto open = text.find("[["); open != std::string::npos;
       open = text.find("[[")) {
    text.erase(open, text.find("]]", open) + 2 - open);
  }
  return text;
}

const std::string url = "https://example.com/path/v1.2/page?q=a.b&x=1";
const std::string email = "first.last+tag@mail.example.org";
const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"
                           "\xE2\x80\x8D\xF0\x9F\x91\xA7"; // 👨‍👩‍👧
const std::string flag = "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7";   // 🇫🇷
const std::string thumbs = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"; // 👍🏽
const std::string heart = "\xE2\x9D\xA4\xEF\xB8\x8F";          // ❤️
const std::string fence = "```python\nprint('hello. world!')\nx = 3.14\n```";

const std::vector<std::string> corpus = {
    "",
    "Hello world.",
    "  Leading and trailing spaces.  ",
    "First sentence. Second one! Third? Fourth…",
    "Paragraph one, line one.\nLine two.\n\nParagraph two.\n\n\n",
    "Windows lines.\r\nSecond line.\r\n\r\nNew paragraph.\r\n",
    "Old Mac\rline breaks.",
    "Tabs\tinside.\tAnd after.\t",
    "Visit " + url + " today. Or mail " + email + ".",
    url,
    "  " + url + "  \n" + email,
    "We " + heart + " this " + family + " and " + flag + " flags " + thumbs,
    family + flag,
    "Pi is 3.14 and a thousand is 1,000. It is 12:30 on 2024-01-05.",
    "Version v1.2.3 is out. Dr. Smith said so, e.g. on the radio.",
    "Look at this:\n" + fence + "\nNice, isn't it?",
    "Inline `code . here` and ``more `ticks` here``. Done.",
    "Unclosed ``` fence in a line. Still text.",
    "```\nunterminated code block. With sentences.",
    "- item one\n- item two.\n  * nested\n1. first\n2) second\n> quoted. "
    "text\n## Heading",
    "Literal [[0]] and [[ 12 ]] must survive. [[x]] too.",
    "你好。我很好！谢谢？好的",
    "مرحبا بالعالم. كيف حالك؟ أنا بخير.",
    "नमस्ते दुनिया। आप कैसे हैं?",
    "Keycap 1\xEF\xB8\x8F\xE2\x83\xA3 and \xC2\xA9 and ™ marks.",
    "Bad UTF-8 \xFF\xFE here. And \xE2\x82 cut.",
    "Ellipsis... and more. Wait... What?",
    "(See https://en.wikipedia.org/wiki/Foo_(bar)). Then [a "
    "link](https://x.org/y).",
    "Trailing spaces   \n   and more   ",
    "Only numbers 42 and 7 here.",
    "\n\n\n",
    "   ",
};

} // namespace

TEST_CASE("rebuilding with untouched sentences gives the input byte for byte",
          "[models]") {
  for (const auto& text : corpus) {
    INFO(text);
    auto parsed = structured_text::parse(text);
    CHECK(parsed.rebuild(parsed.sentences()) == text);
  }
}

TEST_CASE("rebuilding random mixtures of tricky pieces is exact", "[models]") {
  const std::vector<std::string> pieces = {"[",
                                           "]",
                                           "[[",
                                           "]]",
                                           "0",
                                           "7",
                                           ".",
                                           ". ",
                                           "! ",
                                           "? ",
                                           " ",
                                           "  ",
                                           "\n",
                                           "\r\n",
                                           "\n\n",
                                           "\t",
                                           "`",
                                           "```",
                                           "@",
                                           "@me",
                                           "a",
                                           "Word",
                                           "e.g.",
                                           "http://",
                                           "https://x.com/a",
                                           "www.",
                                           "x.org",
                                           "b@c.de",
                                           "3.14",
                                           "1,000",
                                           "12:30",
                                           "-",
                                           "- ",
                                           "1. ",
                                           "> ",
                                           "#",
                                           "\xE3\x80\x82",
                                           "\xC3\xBC",
                                           "\xFF",
                                           "\xE2\x80\x8D",
                                           "\xEF\xB8\x8F",
                                           "\xEF\xBC\xBB",
                                           "\xEF\xBC\xBD",
                                           family,
                                           flag,
                                           thumbs,
                                           heart};
  std::mt19937 random{20240105};
  std::uniform_int_distribution<size_t> pick{0, pieces.size() - 1};
  std::uniform_int_distribution<int> length{0, 40};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int n = length(random); n > 0; --n) {
      text += pieces[pick(random)];
    }
    INFO(text);
    auto parsed = structured_text::parse(text);
    REQUIRE(parsed.rebuild(parsed.sentences()) == text);
    std::vector<std::string> shouted;
    for (const auto& sentence : parsed.sentences()) {
      shouted.push_back(upper_ascii(sentence));
    }
    REQUIRE(upper_ascii(parsed.rebuild(shouted)) == upper_ascii(text));
  }
}

TEST_CASE("no sentence reaches the model with a protected span or a newline",
          "[models]") {
  for (const auto& text : corpus) {
    INFO(text);
    auto parsed = structured_text::parse(text);
    for (const auto& sentence : parsed.sentences()) {
      INFO(sentence);
      CHECK(sentence.find('\n') == std::string::npos);
      CHECK(sentence.find('\r') == std::string::npos);
      CHECK(sentence.find("example.com") == std::string::npos);
      CHECK(sentence.find("@mail") == std::string::npos);
      CHECK(sentence.find("3.14") == std::string::npos);
      CHECK(sentence.find(family) == std::string::npos);
      CHECK(sentence.find("print(") == std::string::npos);
      CHECK_FALSE(sentence.empty());
      CHECK(sentence.front() != ' ');
      CHECK(sentence.back() != ' ');
    }
  }
}

TEST_CASE("an upper-casing translation keeps protected spans and breaks",
          "[models]") {
  std::string text = "Visit " + url + " now. Write to " + email
                     + "!\n\n"
                       "We "
                     + heart + " pi = 3.14 and 1,000 apples. " + thumbs + "\r\n"
                     + fence + "\nBye `ls -la` here.";
  std::string expected = "VISIT " + url + " NOW. WRITE TO " + email
                         + "!\n\n"
                           "WE "
                         + heart + " PI = 3.14 AND 1,000 APPLES. " + thumbs
                         + "\r\n" + fence + "\nBYE `ls -la` HERE.";
  CHECK(translate(text, upper_ascii) == expected);
}

TEST_CASE("sentences carry placeholders where protected spans were",
          "[models]") {
  auto parsed = structured_text::parse("Mail " + email + " or see " + url
                                       + " at 12:30. Thanks " + thumbs);
  REQUIRE(parsed.sentences().size() == 2);
  CHECK(parsed.sentences()[0] == "Mail [[0]] or see [[1]] at [[2]].");
  CHECK(parsed.sentences()[1] == "Thanks");
  auto mention = structured_text::parse("Ask @alice_b or @bob.");
  CHECK(mention.sentences() == std::vector<std::string>{"Ask [[0]] or [[1]]."});
}

TEST_CASE("lost placeholders are appended so every span survives once",
          "[models]") {
  std::string text = "Mail " + email + " or see " + url + " at 12:30, " + heart
                     + " ok.\nSecond " + flag + " line.";
  auto out = translate(text, drop_placeholders);
  for (const auto& span : {email, url, std::string{"12:30"}, heart, flag}) {
    INFO(span);
    CHECK(count(out, span) == 1);
  }
  CHECK(count(out, "\n") == 1);
  CHECK(out.find("[[") == std::string::npos);
}

TEST_CASE("duplicated placeholders are restored once", "[models]") {
  std::string text = "Mail " + email + " or see " + url + " now.";
  auto out = translate(text, [](const std::string& s) { return s + " " + s; });
  CHECK(count(out, email) == 1);
  CHECK(count(out, url) == 1);
  CHECK(count(out, "now.") == 2);
}

TEST_CASE("invented placeholders are removed", "[models]") {
  std::string text = "See " + url + " now.";
  auto out = translate(text, [](const std::string& s) {
    return "[[3]] " + s + " and [[1]] [[0]] [[7]]";
  });
  CHECK(out == "See " + url + " now. and");
}

TEST_CASE("respaced and fullwidth placeholders are recognised", "[models]") {
  std::string text = "See " + url + " and " + email + ".";
  auto parsed = structured_text::parse(text);
  REQUIRE(parsed.sentences()
          == std::vector<std::string>{"See [[0]] and [[1]]."});
  CHECK(parsed.rebuild({"Voir [[ 0 ]] et \xEF\xBC\xBB\xEF\xBC\xBB"
                        "1\xEF\xBC\xBD\xEF\xBC\xBD."})
        == "Voir " + url + " et " + email + ".");
}

TEST_CASE("literal placeholder text in the input is protected too",
          "[models]") {
  std::string text = "Keep [[0]] and [[1]] as they are.";
  CHECK(translate(text, upper_ascii) == "KEEP [[0]] AND [[1]] AS THEY ARE.");
  auto dropped = translate(text, drop_placeholders);
  CHECK(count(dropped, "[[0]]") == 1);
  CHECK(count(dropped, "[[1]]") == 1);
}

TEST_CASE("sentence counts follow terminators, not numbers or abbreviations",
          "[models]") {
  auto count_of = [](const std::string& text) {
    return structured_text::parse(text).sentences().size();
  };
  CHECK(count_of("Hello world. How are you? Fine!") == 3);
  CHECK(count_of("Pi is 3.14 and e is 2.72.") == 1);
  CHECK(count_of("Version v1.2 is out. Get it now.") == 2);
  CHECK(count_of("Dr. Smith met Mrs. Jones, e.g. at noon. They talked.") == 2);
  CHECK(count_of("J. R. R. Tolkien wrote books.") == 1);
  CHECK(count_of("Wait... what happened? Nothing.") == 2);
  CHECK(count_of("\"Stop!\" she said. He stopped.") == 2);
  CHECK(count_of("你好。我很好！谢谢？") == 3);
  CHECK(count_of("नमस्ते। आप कैसे हैं?") == 2);
  CHECK(count_of("Line one\nLine two\n\nLine three") == 3);
  CHECK(count_of("Visit https://example.com/a.b.c now. Or not.") == 2);
  CHECK(count_of("- first item\n- second item") == 2);
  std::string long_sentence;
  for (int i = 0; i < 500; ++i) {
    long_sentence += "word ";
  }
  long_sentence += "end.";
  CHECK(count_of(long_sentence) == 1);
}

TEST_CASE("list markers and edge emoji stay out of the sentence", "[models]") {
  auto parsed = structured_text::parse("- Buy milk " + thumbs + "\n12. " + heart
                                       + " Call mom");
  CHECK(parsed.sentences() == std::vector<std::string>{"Buy milk", "Call mom"});
}

TEST_CASE("text with only protected content has no sentences", "[models]") {
  for (const auto& text : std::vector<std::string>{
           family, "  " + flag + " " + thumbs + "\n", url, email, "3.14", fence,
           "1.", "42", "", "\n\n", url + "\n\n" + heart, "`code`"}) {
    INFO(text);
    auto parsed = structured_text::parse(text);
    CHECK(parsed.sentences().empty());
    CHECK(parsed.rebuild({}) == text);
  }
}

TEST_CASE("rebuilding with the wrong number of sentences throws", "[models]") {
  auto parsed = structured_text::parse("One. Two.");
  REQUIRE(parsed.sentences().size() == 2);
  CHECK_THROWS_AS(parsed.rebuild({"Eins."}), std::invalid_argument);
  CHECK_THROWS_AS(parsed.rebuild({"a", "b", "c"}), std::invalid_argument);
}
