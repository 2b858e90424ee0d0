// HTML, XML and chat text cut into sentences and rebuilt: whatever the
// "translation" does to the sentences, markup and protected spans must come
// back byte for byte, and only text nodes may reach the model.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/text/text_structure.hpp"

using namespace parley;

namespace {

text_markup html{text_format::html, {}};
text_markup xml{text_format::xml, {}};
text_markup plain{};

/// Upper-cases ASCII letters outside placeholders: a "translation" that
/// changes every word and nothing else.
std::string shout(std::string text) {
  for (auto& c : text)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return text;
}

std::string rebuilt(const std::string& text, const text_markup& markup) {
  auto parsed = structured_text::parse(text, markup);
  std::vector<std::string> out;
  for (const auto& sentence : parsed.sentences())
    out.push_back(shout(sentence));
  return parsed.rebuild(out);
}

std::vector<std::string> model_sees(const std::string& text,
                                    const text_markup& markup) {
  return structured_text::parse(text, markup).sentences();
}

} // namespace

TEST_CASE("HTML keeps tags and attributes byte for byte and translates text "
          "nodes",
          "[text][markup]") {
  struct row {
    std::string input;
    std::string expected;
  };
  std::vector<row> table{
      {R"(<a href="https://example.com/table" title="table">table</a>)",
       R"(<a href="https://example.com/table" title="table">TABLE</a>)"},
      {R"(<p>Click <b class="x">here</b> to go.</p><p>Then wait.</p>)",
       R"(<p>CLICK <b class="x">HERE</b> TO GO.</p><p>THEN WAIT.</p>)"},
      {"<ul>\n  <li>one apple</li>\n  <li>two pears</li>\n</ul>",
       "<ul>\n  <li>ONE APPLE</li>\n  <li>TWO PEARS</li>\n</ul>"},
      {"Tom &amp; Jerry&nbsp;run<br>away", "TOM &amp; JERRY&nbsp;RUN<br>AWAY"},
      {"<p>Run <code>npm install</code> now</p>",
       "<p>RUN <code>npm install</code> NOW</p>"},
      {"<pre>keep this\n  as is</pre><p>but this</p>",
       "<pre>keep this\n  as is</pre><p>BUT THIS</p>"},
      {"<script>var a = 'text';</script><style>p { color: red }</style>hi",
       "<script>var a = 'text';</script><style>p { color: red }</style>HI"},
      {R"(<span translate="no">Brand name</span> is great)",
       R"(<span translate="no">Brand name</span> IS GREAT)"},
      {R"(<div class="x notranslate">kept</div><div>said</div>)",
       R"(<div class="x notranslate">kept</div><div>SAID</div>)"},
      {"<!-- a comment --><p>word</p><?pi x?>",
       "<!-- a comment --><p>WORD</p><?pi x?>"},
      {"a < b and c > d", "A < B AND C > D"},
      {R"(<p>Look <a href="https://ex.social/tags/urgent" class="mention hashtag" rel="tag">#<span>urgent</span></a> now</p>)",
       R"(<p>LOOK <a href="https://ex.social/tags/urgent" class="mention hashtag" rel="tag">#<span>urgent</span></a> NOW</p>)"},
      {R"(<span class="h-card"><a href="https://ex.social/@ana" class="u-url mention">@<span>ana</span></a></span> hello)",
       R"(<span class="h-card"><a href="https://ex.social/@ana" class="u-url mention">@<span>ana</span></a></span> HELLO)"},
      {"<P>Upper <B>case</B> tags</P>", "<P>UPPER <B>CASE</B> TAGS</P>"},
      {"<unclosed text", "<UNCLOSED TEXT"},
      {"<code>x <code>nested</code> y</code> after",
       "<code>x <code>nested</code> y</code> AFTER"},
  };
  for (const auto& [input, expected] : table) {
    INFO(input);
    CHECK(rebuilt(input, html) == expected);
  }
}

TEST_CASE("inline tags stay inside their sentence; block tags end it",
          "[text][markup]") {
  auto sentences = model_sees(
      R"(<p>Click <a href="/x">here</a> to go.</p><p>Done.</p>)", html);
  REQUIRE(sentences.size() == 2);
  CHECK(sentences[0] == "Click [[0]]here[[1]] to go.");
  CHECK(sentences[1] == "Done.");
  // Tags at a sentence's edges stay outside it.
  CHECK(model_sees("<b>Bold words</b>", html)
        == std::vector<std::string>{"Bold words"});
}

TEST_CASE("nothing inside kept elements reaches the model", "[text][markup]") {
  auto sentences = model_sees("<p>Say <code>secret</code> and "
                              "<kbd translate=\"no\">hidden</kbd> loudly</p>"
                              "<script>alert('script')</script>",
                              html);
  for (const auto& sentence : sentences) {
    CHECK(sentence.find("secret") == std::string::npos);
    CHECK(sentence.find("hidden") == std::string::npos);
    CHECK(sentence.find("script") == std::string::npos);
  }
  CHECK(sentences.size() == 1);
}

TEST_CASE("ignore_tags keeps the named elements", "[text][markup]") {
  text_markup markup{text_format::xml, {"keep"}};
  CHECK(rebuilt("<doc><keep>leave me</keep><t>change me</t></doc>", markup)
        == "<doc><keep>leave me</keep><t>CHANGE ME</t></doc>");
  text_markup html_keep{text_format::html, {"x-name"}};
  CHECK(rebuilt("<p>Hello <x-name>Ana Maria</x-name> friend</p>", html_keep)
        == "<p>HELLO <x-name>Ana Maria</x-name> FRIEND</p>");
}

TEST_CASE("XML tags between words stay in the sentence; others end it",
          "[text][markup]") {
  CHECK(model_sees("<list><item>Apple</item><item>Pear</item></list>", xml)
        == std::vector<std::string>{"Apple", "Pear"});
  CHECK(model_sees("<s>Say <em>it</em> now</s>", xml)
        == std::vector<std::string>{"Say [[0]]it[[1]] now"});
  CHECK(rebuilt(R"(<?xml version="1.0"?><s a="b">Say <em>it</em> now</s>)", xml)
        == R"(<?xml version="1.0"?><s a="b">SAY <em>IT</em> NOW</s>)");
}

TEST_CASE("chat text keeps hashtags, mentions, code and format placeholders",
          "[text][markup]") {
  struct row {
    std::string input;
    std::string expected;
  };
  std::vector<row> table{
      {"this is #urgent for @ana", "THIS IS #urgent FOR @ana"},
      {"run `npm install` first", "RUN `npm install` FIRST"},
      {"Hello %s, you have %d new messages",
       "HELLO %s, YOU HAVE %d NEW MESSAGES"},
      {"%1$s sent %2$s", "%1$s SENT %2$s"},
      {"Hello {name}, see {{count}} items",
       "HELLO {name}, SEE {{count}} ITEMS"},
      {"%(user)s joined", "%(user)s JOINED"},
      {"50% off today", "50% OFF TODAY"},
      {"50% a day", "50% A DAY"},
      {"# Title line", "# TITLE LINE"},
      {"mail ana@example.org or see https://example.com/a",
       "MAIL ana@example.org OR SEE https://example.com/a"},
      {"a { b } c", "A { B } C"},
      {"%solution", "%SOLUTION"},
  };
  for (const auto& [input, expected] : table) {
    INFO(input);
    CHECK(rebuilt(input, plain) == expected);
  }
}

TEST_CASE("a translation that loses a tag still returns every tag once",
          "[text][markup]") {
  auto parsed = structured_text::parse("<p>Click <b>here</b> now</p>", html);
  REQUIRE(parsed.sentences().size() == 1);
  auto out = parsed.rebuild({"Cliquez ici maintenant [[0]]"});
  CHECK(out.find("<b>") != std::string::npos);
  CHECK(out.find("</b>") != std::string::npos);
  CHECK(out.substr(0, 3) == "<p>");
  CHECK(out.substr(out.size() - 4) == "</p>");
}
