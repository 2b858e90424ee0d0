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
