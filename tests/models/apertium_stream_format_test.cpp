#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/apertium/stream_format.hpp"

using namespace parley::apertium;

TEST_CASE("every reserved stream character is escaped with a backslash",
          "[models]") {
  CHECK(escape_text(R"(\[]^$/<>{}@)") == R"(\\\[\]\^\$\/\<\>\{\}\@)");
  CHECK(escape_text("^hello$") == R"(\^hello\$)");
}

TEST_CASE("a tilde is wrapped in a superblank instead of escaped", "[models]") {
  CHECK(escape_text("a~b") == "a[~]b");
  CHECK(escape_text("~~") == "[~][~]");
}

TEST_CASE("asterisks and hashes are sent raw", "[models]") {
  CHECK(escape_text("x*y #1") == "x*y #1");
}

TEST_CASE("NUL bytes are stripped from the text", "[models]") {
  CHECK(escape_text(std::string("a\0b\0", 4)) == "ab");
  CHECK(encode_segment(std::string("\0", 1)) == ".[]");
}

TEST_CASE("the segment is the trimmed text followed by the end marker",
          "[models]") {
  CHECK(encode_segment("Hello world") == "Hello world.[]");
  CHECK(encode_segment("  The cat is black. \n") == "The cat is black..[]");
}

TEST_CASE("the end marker is removed from pipeline output", "[models]") {
  CHECK(strip_end_marker("Hola Mundo.[]") == "Hola Mundo");
  CHECK(strip_end_marker("El gato es negro..[]\n") == "El gato es negro.");
  CHECK(strip_end_marker("no marker") == "no marker");
  // An escaped bracket belongs to the text, not to the marker.
  CHECK(strip_end_marker(R"(a\[])") == R"(a\[])");
  CHECK(strip_end_marker(R"(a\.[])") == R"(a\.)");
}

TEST_CASE("output is unescaped and superblanks give back their content",
          "[models]") {
  CHECK(unescape_stream(R"(\^hola\$ \[x\] \{y\} \<z\> a\/b \\ \@)")
        == R"(^hola$ [x] {y} <z> a/b \ @)");
  CHECK(unescape_stream("a[~]b [~]") == "a~b ~");
  CHECK(unescape_stream(R"([\]])") == "]");
  CHECK(unescape_stream("x*y #z") == "x*y #z");
}

TEST_CASE("decoding trims the pipeline's spaces and restores the input's",
          "[models]") {
  CHECK(decode_segment(" Tengo 3 gatos..[]", "I have 3 cats.")
        == "Tengo 3 gatos.");
  CHECK(decode_segment(" Hola Mundo.[]", "  Hello world\n\n")
        == "  Hola Mundo\n\n");
  CHECK(decode_segment("", " \t\n") == " \t\n");
}

TEST_CASE("tricky strings survive encoding and decoding unchanged",
          "[models]") {
  std::vector<std::string> texts = {
      R"(^hello$ [x] {y} <z> a/b \ @ ~ * #)",
      "a.[]",
      R"(ends with a backslash\)",
      R"(a\[])",
      "[~] ~~ ~",
      "  leading and trailing  \n",
      "line one\n\nline two",
      "x.",
      "$(touch /tmp/x); rm -rf ~ | cat > y < z & `w`",
      "",
  };
  // An identity pipeline sends the segment back as it came.
  for (const auto& text : texts)
    CHECK(decode_segment(encode_segment(text), text) == text);
  auto with_nul = std::string("a\0b", 3);
  CHECK(decode_segment(encode_segment(with_nul), with_nul) == "ab");
}
