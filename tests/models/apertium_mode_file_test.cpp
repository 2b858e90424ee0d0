#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/apertium/mode_file.hpp"

using namespace parley::apertium;
using Catch::Matchers::Contains;

namespace {

const std::string eng_spa_mode = "/usr/share/apertium/modes/eng-spa.mode";
const std::string eng_spa_dir = "/usr/share/apertium/apertium-eng-spa/";

} // namespace

TEST_CASE("the installed eng-spa mode parses into stages that flush on NUL",
          "[models]") {
  auto stages = load_mode_file(eng_spa_mode);
  REQUIRE(stages.size() == 11);
  for (const auto& stage : stages) {
    REQUIRE(stage.size() >= 2);
    CHECK(stage[1] == "-z");
    for (const auto& arg : stage) {
      CHECK(arg.find('$') == std::string::npos);
      CHECK(arg.find('\'') == std::string::npos);
    }
  }
  CHECK(stages.front()
        == stage_argv{"lt-proc", "-z", eng_spa_dir + "eng-spa.automorf.bin"});
  CHECK(stages[1]
        == stage_argv{"apertium-tagger", "-z", "-g",
                      eng_spa_dir + "eng-spa.prob"});
  CHECK(stages[2] == stage_argv{"apertium-pretransfer", "-z"});
  CHECK(stages[9]
        == stage_argv{"lt-proc", "-z", "-n",
                      eng_spa_dir + "eng-spa.autogen.bin"});
  CHECK(stages.back()
        == stage_argv{"lt-proc", "-z", "-p",
                      eng_spa_dir + "eng-spa.autopgen.bin"});
}

TEST_CASE("the generation flag and tagger option replace $1 and $2",
          "[models]") {
  mode_parameters parameters;
  parameters.generation_flag = "-g";
  parameters.tagger_option = "--first";
  auto stages =
      parse_mode("tagger -g $2 prob | gen $1 bin\n", "x.mode", parameters);
  CHECK(stages
        == std::vector<stage_argv>{{"tagger", "-z", "-g", "--first", "prob"},
                                   {"gen", "-z", "-g", "bin"}});
}

TEST_CASE("quotes group words and a stage keeps an existing -z", "[models]") {
  auto stages = parse_mode(
      R"(prog 'a b' "c \"d\" e" f\ g 'x'"y"z | other -z 'p|q' "r;s")",
      "x.mode");
  CHECK(stages
        == std::vector<stage_argv>{
            {"prog", "-z", "a b", "c \"d\" e", "f g", "xyz"},
            {"other", "-z", "p|q", "r;s"}});
}

TEST_CASE("shell syntax beyond a plain pipeline is rejected naming the file",
          "[models]") {
  std::vector<std::string> lines = {
      "a ; b",
      "a && b",
      "a & b",
      "a $(touch x)",
      "a `touch x`",
      "a > out",
      "a < in",
      "a 2>/dev/null",
      "a $3",
      "a $HOME",
      "a \"$HOME\"",
      "a x$1",
      "a | | b",
      "a |",
      "| a",
      "a\nb",
      "X=1 a",
      "",
      "a 'unterminated",
      "a \"open",
      "a *.bin",
      "(a)",
      "$1 a",
  };
  for (const auto& line : lines) {
    INFO(line);
    CHECK_THROWS_WITH(parse_mode(line, "/modes/bad.mode"),
                      Contains("/modes/bad.mode"));
  }
}

TEST_CASE("a missing mode file fails naming it", "[models]") {
  CHECK_THROWS_WITH(load_mode_file("/nonexistent/xx-yy.mode"),
                    Contains("/nonexistent/xx-yy.mode"));
}
