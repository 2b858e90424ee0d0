#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "io/encoding/json_writer.hpp"

using nlohmann::json;
using parley::json_writer;

TEST_CASE("the json writer produces documents a JSON parser reads back",
          "[io]") {
  json_writer out;
  out.begin_object()
      .field("text", "quote \" backslash \\ newline \n tab \t bell \x07 ñ 😀")
      .field("count", 3)
      .field("big", uint64_t{18446744073709551615u})
      .field("negative", int64_t{-5})
      .field("ratio", 0.25)
      .field("flag", true)
      .raw_field("id", "\"post:1\"")
      .raw_field("absent", "");
  out.key("list").begin_array().string("a").number(1.5).null().end_array();
  out.key("nested").begin_object().field("x", false).end_object();
  auto parsed = json::parse(out.end_object().take());
  CHECK(parsed["text"]
        == "quote \" backslash \\ newline \n tab \t bell \x07 ñ 😀");
  CHECK(parsed["count"] == 3);
  CHECK(parsed["big"] == 18446744073709551615u);
  CHECK(parsed["negative"] == -5);
  CHECK(parsed["ratio"] == 0.25);
  CHECK(parsed["flag"] == true);
  CHECK(parsed["id"] == "post:1");
  CHECK(parsed["absent"].is_null());
  CHECK(parsed["list"] == json{"a", 1.5, nullptr});
  CHECK(parsed["nested"]["x"] == false);
}

TEST_CASE("the json writer keeps full double precision and refuses NaN",
          "[io]") {
  json_writer out;
  out.begin_array()
      .number(1764254356.1234567)
      .number(0.1)
      .number(std::nan(""))
      .end_array();
  auto parsed = json::parse(out.take());
  CHECK(parsed[0].get<double>() == 1764254356.1234567);
  CHECK(parsed[1].get<double>() == 0.1);
  CHECK(parsed[2].is_null());
}

TEST_CASE("the json writer separates values at any depth", "[io]") {
  // Past 64 levels the writer keeps its per-level state another way.
  constexpr int depth = 150;
  json_writer out;
  for (int level = 0; level < depth; ++level)
    out.begin_array().number(int64_t{level});
  for (int level = 0; level < depth; ++level)
    out.string("after").end_array();
  auto parsed = json::parse(out.take());
  const json* at = &parsed;
  for (int level = 0; level < depth; ++level) {
    INFO("level " << level);
    REQUIRE(at->is_array());
    REQUIRE(at->size() == (level + 1 < depth ? 3u : 2u));
    CHECK((*at)[0] == level);
    CHECK(at->back() == "after");
    if (level + 1 < depth)
      at = &(*at)[1];
  }
}

TEST_CASE("the json writer grows past its size hint", "[io]") {
  std::string text;
  for (int i = 0; i < 2000; ++i)
    text += "line \"" + std::to_string(i) + "\"\n\x01";
  json_writer out{16};
  out.begin_object().field("text", text).field("n", 7).end_object();
  auto first = out.take();
  auto parsed = json::parse(first);
  CHECK(parsed["text"] == text);
  CHECK(parsed["n"] == 7);
  // Taken, the writer starts a new text.
  out.begin_array().boolean(false).end_array();
  CHECK(out.take() == "[false]");
}

namespace {

/// The writer's escaping, one byte at a time: JSON's short escapes for
/// quote, backslash, newline, return and tab, \u00XX for other control
/// bytes, every other byte as it is.
std::string escaped_bytewise(const std::string& text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"')
      out += "\\\"";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (byte < 0x20)
      out += std::string("\\u00") + hex[byte >> 4] + hex[byte & 0xF];
    else
      out += c;
  }
  return out + "\"";
}

} // namespace

TEST_CASE("the json writer escapes every byte wherever it stands", "[io]") {
  // Texts of up to 19 bytes put each byte in every lane of the writer's
  // eight-byte scan and in its byte-by-byte tail.
  for (int byte = 0; byte < 256; ++byte)
    for (size_t size = 1; size < 20; ++size)
      for (size_t at = 0; at < size; ++at) {
        std::string text(size, 'a');
        text[at] = static_cast<char>(byte);
        json_writer out;
        out.string(text);
        auto written = out.take();
        if (written != escaped_bytewise(text))
          FAIL("byte " << byte << " at " << at << " of " << size << ": "
                       << written);
      }
  json_writer out;
  out.string("\x1f\"\\\xff plain text long enough for words \x01");
  CHECK(out.take()
        == escaped_bytewise(
            "\x1f\"\\\xff plain text long enough for words \x01"));
}
