// The structure layer above the real backends: markup and protected spans
// come back byte for byte through Apertium (real translations) and through
// the NLLB fixture (random weights, so only the structure is checked).

#include "tests/support/torch_catch.hpp"

#include <string>
#include <vector>

#include "messages/error_code.hpp"
#include "models/backend.hpp"
#include "models/structured_translation.hpp"
#include "tests/support/builtin_kinds.hpp"
#include "tests/support/nllb_fixture.hpp"
#include "tests/support/text.hpp"

using namespace parley;
using parley::test::occurrences;

namespace {

translation_backend& apertium() {
  static auto backend = test::make_backend("apertium", {});
  return *backend;
}

translation_backend& tiny_nllb() {
  static auto backend = [] {
    backend_options options;
    options.set("path", test::tiny_nllb_dir());
    options.set("max_new_tokens", "6");
    return test::make_backend("nllb", options);
  }();
  return *backend;
}

std::string translated(translation_backend& backend, const std::string& text,
                       const text_markup& markup,
                       const std::string& source = "en",
                       const std::string& target = "es") {
  translation_batch batch;
  batch.jobs.push_back({source, target, text, lane::interactive, markup});
  auto outputs = translate_structured(backend, batch);
  REQUIRE(outputs.size() == 1);
  if (outputs[0].error)
    FAIL(explanation_of(outputs[0].error));
  return outputs[0].text;
}

/// A text, its markup, and the pieces that must come back unchanged.
struct sample {
  std::string text;
  text_markup markup;
  std::vector<std::string> kept;
};

std::vector<sample> samples() {
  text_markup html{text_format::html, {}};
  text_markup xml{text_format::xml, {}};
  return {
      {R"(<a href="https://example.com/table">table</a>)",
       html,
       {R"(<a href="https://example.com/table">)", "</a>"}},
      {R"(<p>The <b class="k">red</b> house is big.</p><p>I have a dog.</p>)",
       html,
       {"<p>", R"(<b class="k">)", "</b>", "</p>"}},
      {"<ul><li>the table</li><li>the house</li></ul>",
       html,
       {"<ul><li>", "</li><li>", "</li></ul>"}},
      {"<p>Run <code>npm install</code> in the house.</p>",
       html,
       {"<p>", "<code>npm install</code>", "</p>"}},
      {R"(<p>I see <span translate="no">the house</span> now.</p>)",
       html,
       {R"(<span translate="no">the house</span>)"}},
      {"<doc><t>The house is big.</t><t>I have a dog.</t></doc>",
       xml,
       {"<doc><t>", "</t><t>", "</t></doc>"}},
      {"Run `npm install` before the meeting.", {}, {"`npm install`"}},
      {"This is #urgent for @ana today.", {}, {"#urgent", "@ana"}},
      {"Hello %s, you have %d new messages.", {}, {"%s", "%d"}},
      {"Hello {name}, the house of %1$s is big.", {}, {"{name}", "%1$s"}},
      {"## The house\n\n- the table\n- the dog\n\n```\nthe code\n```",
       {},
       {"## ", "\n\n- ", "\n- ", "\n\n```\nthe code\n```"}},
      {"See https://example.com/the-house and write to ana@example.org.",
       {},
       {"https://example.com/the-house", "ana@example.org"}},
  };
}

void check_kept(translation_backend& backend) {
  for (const auto& sample : samples()) {
    auto out = translated(backend, sample.text, sample.markup);
    INFO(sample.text << "\n  -> " << out);
    for (const auto& piece : sample.kept)
      CHECK(occurrences(out, piece) == occurrences(sample.text, piece));
  }
}

} // namespace

TEST_CASE("markup and protected spans come back byte for byte through "
          "Apertium",
          "[models][markup]") {
  check_kept(apertium());
}

TEST_CASE("Apertium translates the words around markup, not the markup",
          "[models][markup]") {
  text_markup html{text_format::html, {}};
  auto out = translated(
      apertium(), R"(<a href="https://example.com/table">table</a>)", html);
  // A lone word comes back capitalized, as Apertium writes a sentence.
  CHECK((out == R"(<a href="https://example.com/table">mesa</a>)"
         || out == R"(<a href="https://example.com/table">Mesa</a>)"));
  auto chat = translated(apertium(), "The house is #urgent.", {});
  CHECK(occurrences(chat, "#urgent") == 1);
  CHECK(occurrences(chat, "casa") == 1);
  auto code = translated(apertium(), "Run `npm install` now.", {});
  CHECK(occurrences(code, "`npm install`") == 1);
}

TEST_CASE("markup and protected spans come back byte for byte through the "
          "NLLB fixture",
          "[models][markup]") {
  check_kept(tiny_nllb());
}

TEST_CASE("a job without a sentence is still refused for an unknown pair",
          "[models][markup]") {
  translation_batch batch;
  batch.jobs.push_back(
      {"en", "xx", "<p></p>", lane::interactive, {text_format::html, {}}});
  batch.jobs.push_back(
      {"en", "es", "<p></p>", lane::interactive, {text_format::html, {}}});
  auto outputs = translate_structured(apertium(), batch);
  REQUIRE(outputs.size() == 2);
  CHECK(code_of(outputs[0].error) == error_code::unsupported_language);
  CHECK_FALSE(outputs[1].error);
  CHECK(outputs[1].text == "<p></p>");
}
