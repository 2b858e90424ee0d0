#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "models/text/emoji.hpp"
#include "models/text/placeholders.hpp"
#include "models/text/protected_spans.hpp"

using parley::find_code_blocks;
using parley::find_protected_spans;
using parley::span_kind;

namespace {

std::vector<std::pair<std::string, span_kind>>
spans_of(const std::string& line) {
  std::vector<std::pair<std::string, span_kind>> out;
  for (const auto& span : find_protected_spans(line)) {
    out.emplace_back(line.substr(span.begin, span.end - span.begin), span.kind);
  }
  return out;
}

} // namespace

TEST_CASE("URLs end before trailing punctuation and unopened brackets",
          "[models]") {
  using spans = std::vector<std::pair<std::string, span_kind>>;
  CHECK(spans_of("Go to https://x.org/a?b=c. Now")
        == spans{{"https://x.org/a?b=c", span_kind::url}});
  CHECK(spans_of("(see www.example.com/a_(b))")
        == spans{{"www.example.com/a_(b)", span_kind::url}});
  CHECK(spans_of("[link](HTTP://X.ORG/y)")
        == spans{{"HTTP://X.ORG/y", span_kind::url}});
  CHECK(spans_of("nohttp://x.org and https:// alone").empty());
}

TEST_CASE("e-mail addresses and mentions are found, version dots are numbers",
          "[models]") {
  using spans = std::vector<std::pair<std::string, span_kind>>;
  CHECK(spans_of("Write a.b+c@mail.example.org.")
        == spans{{"a.b+c@mail.example.org", span_kind::email}});
  CHECK(spans_of("not@an-address and x@y.z1").empty());
  CHECK(spans_of("Hi @ana_b. Bye @ 5")
        == spans{{"@ana_b", span_kind::mention}});
  CHECK(spans_of("v1.2.3 at 12:30 costs 1,000 or 7")
        == spans{{"1.2.3", span_kind::number},
                 {"12:30", span_kind::number},
                 {"1,000", span_kind::number}});
}

TEST_CASE("emoji sequences are one span each", "[models]") {
  std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80"
                       "\x8D\xF0\x9F\x91\xA7";
  std::string flags = "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9"
                      "\xF0\x9F\x87\xAA";
  std::string keycap = "1\xEF\xB8\x8F\xE2\x83\xA3";
  std::string scotland = "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2"
                         "\xF3\xA0\x81\xB3\xF3\xA0\x81\xA3\xF3\xA0\x81\xB4"
                         "\xF3\xA0\x81\xBF";
  for (const auto& emoji : {family, flags, keycap, scotland}) {
    INFO(emoji);
    CHECK(parley::match_emoji(emoji, 0) == emoji.size());
    CHECK(parley::match_emoji("a" + emoji, 0) == 0);
  }
  CHECK(parley::match_emoji("\xC2\xA9", 0) == 0);
  CHECK(parley::match_emoji("\xC2\xA9\xEF\xB8\x8F", 0) == 5);
  CHECK(parley::match_emoji("12", 0) == 0);
}

TEST_CASE("inline code needs a closing run of the same length", "[models]") {
  using spans = std::vector<std::pair<std::string, span_kind>>;
  CHECK(spans_of("Run `ls -la` or ``a ` b`` now")
        == spans{{"`ls -la`", span_kind::inline_code},
                 {"``a ` b``", span_kind::inline_code}});
  CHECK(spans_of("A lone ` tick").empty());
}

TEST_CASE("code blocks open at a line start or span lines", "[models]") {
  std::string text = "Text\n```\ncode\n```\nmore ```inline``` and ```\nx\n```";
  auto blocks = find_code_blocks(text);
  REQUIRE(blocks.size() == 2);
  CHECK(text.substr(blocks[0].begin, blocks[0].end - blocks[0].begin)
        == "```\ncode\n```");
  CHECK(text.substr(blocks[1].begin, blocks[1].end - blocks[1].begin)
        == "```\nx\n```");
  std::string open = "Intro\n  ```\nnever closed";
  auto unclosed = find_code_blocks(open);
  REQUIRE(unclosed.size() == 1);
  CHECK(unclosed[0].begin == 8);
  CHECK(unclosed[0].end == open.size());
}

TEST_CASE("placeholders are matched in their tolerated spellings", "[models]") {
  CHECK(parley::placeholder(12) == "[[12]]");
  auto plain = parley::match_placeholder("x [[3]] y", 2);
  REQUIRE(plain);
  CHECK(plain->index == 3);
  CHECK(plain->end == 7);
  CHECK(parley::match_placeholder("[ [ 4 ] ]", 0)->index == 4);
  CHECK(parley::match_placeholder("\xEF\xBC\xBB\xEF\xBC\xBB"
                                  "5\xEF\xBC\xBD\xEF\xBC\xBD",
                                  0)
            ->index
        == 5);
  CHECK_FALSE(parley::match_placeholder("[0]", 0));
  CHECK_FALSE(parley::match_placeholder("[[a]]", 0));
  CHECK_FALSE(parley::match_placeholder("[[1234567]]", 0));
  CHECK_FALSE(parley::match_placeholder("[[0]", 0));
}
