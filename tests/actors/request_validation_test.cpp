#include <catch2/catch.hpp>

#include <string>

#include "actors/request_validation.hpp"
#include "messages/error_code.hpp"

using namespace parley;

TEST_CASE("utf8 length counts code points and rejects malformed input",
          "[actors]") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("año") == 3);
  CHECK(utf8_length("日本語") == 3);
  CHECK(utf8_length("😀!") == 2);
  auto invalid = std::string::npos;
  CHECK(utf8_length("\xC3") == invalid);             // truncated
  CHECK(utf8_length("\xC3\x28") == invalid);         // bad continuation
  CHECK(utf8_length("\xC0\xAF") == invalid);         // overlong '/'
  CHECK(utf8_length("\xED\xA0\x80") == invalid);     // surrogate
  CHECK(utf8_length("\xF4\x90\x80\x80") == invalid); // above U+10FFFF
  CHECK(utf8_length("\xFF") == invalid);
  CHECK(utf8_length("\x80") == invalid);
}

TEST_CASE("text validation names the problem with a typed error", "[actors]") {
  CHECK_FALSE(validate_text("hello", 10));
  CHECK(code_of(validate_text("", 10)) == error_code::invalid_request);
  CHECK(code_of(validate_text(" \n ", 10)) == error_code::invalid_request);
  CHECK(code_of(validate_text("\xC3\x28", 10)) == error_code::invalid_request);
  CHECK(code_of(validate_text(std::string("a\0b", 3), 10))
        == error_code::invalid_request);
  auto too_long = validate_text("12345678901", 10);
  CHECK(code_of(too_long) == error_code::message_too_long);
  CHECK(explanation_of(too_long).find("11") != std::string::npos);
  CHECK_FALSE(validate_text("ññññññññññ", 10));
}

TEST_CASE("language tags are normalized or refused", "[actors]") {
  CHECK(normalize_language_tag("en") == "en");
  CHECK(normalize_language_tag("ES") == "es");
  CHECK(normalize_language_tag("pt_BR") == "pt-br");
  CHECK(normalize_language_tag("zho_Hans") == "zho-hans");
  CHECK(normalize_language_tag("").empty());
  CHECK(normalize_language_tag("e").empty());
  CHECK(normalize_language_tag("engl").empty());
  CHECK(normalize_language_tag("en-").empty());
  CHECK(normalize_language_tag("en\x1f"
                               "fr")
            .empty());
  CHECK(normalize_language_tag("auto!").empty());
  CHECK(normalize_language_tag("1en").empty());
}
