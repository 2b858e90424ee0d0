// The reference of model kinds in docs/models.md is the text `parley kinds`
// writes from the declarations, so it cannot drift from them.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/process.hpp"
#include "tools/kind_reference.hpp"

using namespace parley;
using namespace parley::test;
using Catch::Matchers::Contains;

namespace {

const std::string begin_marker = "<!-- parley kinds: begin -->\n";
const std::string end_marker = "<!-- parley kinds: end -->";

std::string readme_section() {
  std::ifstream in{std::string{PARLEY_TESTS_DIR} + "/../docs/models.md"};
  std::stringstream text;
  text << in.rdbuf();
  auto all = text.str();
  auto begin = all.find(begin_marker);
  auto end = all.find(end_marker);
  if (begin == std::string::npos || end == std::string::npos || end < begin)
    return {};
  begin += begin_marker.size();
  return all.substr(begin, end - begin);
}

} // namespace

TEST_CASE("docs/models.md lists every kind's option keys as declared",
          "[tools]") {
  auto kinds = backend_registry::builtin();
  auto reference = kind_reference(kinds);
  for (const auto* kind : kinds.declarations()) {
    CHECK_THAT(reference, Contains("#### `" + kind->name + "`"));
    for (const auto& option : kind->options)
      CHECK_THAT(reference, Contains("| `" + option.key + "` |"));
  }
  // Regenerate with: build/bin/parley kinds, between the markers of
  // docs/models.md.
  CHECK(readme_section() == "\n" + reference + "\n");
}

TEST_CASE("parley kinds prints the reference, and parleyd refuses unknown keys",
          "[tools]") {
  auto kinds = run_command({bin_path("parley"), "kinds"});
  CHECK(kinds.exit_status == 0);
  CHECK(kinds.out == kind_reference(backend_registry::builtin()));
  auto unknown =
      run_command({bin_path("parleyd"), "--set", "models.text.kind=apertium",
                   "--set", "models.text.quantise=int8"});
  CHECK(unknown.exit_status == 2);
  CHECK_THAT(unknown.err, Contains("models.text.quantise")
                              && Contains("known: mark_unknown"));
  auto voices =
      run_command({bin_path("parleyd"), "--set", "models.voice.kind=espeak",
                   "--set", "models.voice.replicas=2"});
  CHECK(voices.exit_status == 2);
  CHECK_THAT(voices.err, Contains("models.voice.replicas"));
}
