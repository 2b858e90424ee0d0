#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "io/encoding/base64.hpp"
#include "io/encoding/python_json.hpp"
#include "io/redis/redis_client.hpp"
#include "io/redis/redis_format.hpp"

using namespace parley;

// Expected texts come from Python 3's json and hashlib (see each case).

TEST_CASE("python_json writes what json.dumps writes", "[io][redis]") {
  python_json out;
  out.begin_object()
      .field("a", std::string{"\xc3\x87"
                              "a va? \xf0\x9f\x98\x80\x7f\n\"\\\t\x01"})
      .field("b", 0.1)
      .field("c", 1.0)
      .field("d", 1e-05)
      .field("e", 123456789012345678.0)
      .field("f", 0.393931)
      .field("g", 100.0)
      .field("h", 1.5e16);
  out.key("i").null();
  out.key("j")
      .begin_array()
      .number(1)
      .begin_object()
      .field("k", true)
      .end_object()
      .end_array();
  out.end_object();
  // json.dumps({"a": "Ça va? 😀\x7f\n\"\\\t\x01", "b": 0.1, "c": 1.0,
  //             "d": 1e-05, "e": 123456789012345678.0, "f": 0.393931,
  //             "g": 100.0, "h": 1.5e16, "i": None, "j": [1, {"k": True}]})
  CHECK(out.take()
        == R"({"a": "\u00c7a va? \ud83d\ude00\u007f\n\"\\\t\u0001", "b": 0.1, )"
           R"("c": 1.0, "d": 1e-05, "e": 1.2345678901234568e+17, )"
           R"("f": 0.393931, "g": 100.0, "h": 1.5e+16, "i": null, )"
           R"("j": [1, {"k": true}]})");
  CHECK(python_float_repr(0.30000000000000004) == "0.30000000000000004");
  CHECK(python_float_repr(2.5e-5) == "2.5e-05");
  CHECK(python_float_repr(1e22) == "1e+22");
  CHECK(python_float_repr(0.0001) == "0.0001");
}

TEST_CASE("the translation key hashes text, languages and model type as the "
          "old service did",
          "[io][redis]") {
  // hashlib.sha256("Ça va? 😀|fr|en|basic".encode()).hexdigest()[:32]
  tier_text_key key{"basic", "fr", "en",
                    "\xc3\x87"
                    "a va? \xf0\x9f\x98\x80"};
  CHECK(text_hash(key) == "1fe454dd877801e49714a2142e66ff3b");
  CHECK(text_key_name(text_hash(key))
        == "translation:text:1fe454dd877801e49714a2142e66ff3b");
  CHECK(premium_fallback_key_name(key)
        == text_key_name(
            text_hash(tier_text_key{"premium", "fr", "en", key.text})));
  key.model_type = "nllb-200-1.3B";
  CHECK(premium_fallback_key_name(key).empty());
}

TEST_CASE("translation values round-trip, and foreign values are refused",
          "[io][redis]") {
  tier_text_key key{"medium", "en", "es", "Hello"};
  auto value =
      encode_text_value(key, "Hola \"mundo\"", "abc", "2026-11-30T10:00:00");
  auto parsed = nlohmann::json::parse(value);
  CHECK(parsed["translated_text"] == "Hola \"mundo\"");
  CHECK(parsed["model_type"] == "medium");
  CHECK(parsed["text_hash"] == "abc");
  auto decoded = decode_text_value(value, key);
  REQUIRE(decoded);
  CHECK(decoded->text == "Hola \"mundo\"");
  CHECK(decoded->route == std::vector<std::string>{"en", "es"});
  for (const auto& garbage :
       {std::string{"oops"}, std::string{"[1]"}, std::string{"{}"},
        std::string{R"({"translated_text": null})"},
        std::string{"\x00\xff", 2}})
    CHECK_FALSE(decode_text_value(garbage, key));
}

TEST_CASE("transcriptions and speech round-trip through their values",
          "[io][redis]") {
  transcription heard;
  heard.text = "ask not";
  heard.language = "en";
  heard.confidence = 0.5f;
  heard.duration_ms = 11000;
  heard.model = "pocketsphinx-en-us";
  heard.segments.push_back({"ask", 100, 400, 0.25f});
  auto decoded = decode_transcript_value(encode_transcript_value(heard));
  REQUIRE(decoded);
  CHECK(decoded->text == "ask not");
  CHECK(decoded->duration_ms == 11000);
  CHECK(decoded->model == "pocketsphinx-en-us");
  REQUIRE(decoded->segments.size() == 1);
  CHECK(decoded->segments[0].end_ms == 400);
  cached_speech spoken;
  spoken.found = true;
  spoken.text = "hola";
  spoken.speech.bytes = std::string{"\x00\x01\xff OggS", 8};
  spoken.speech.mime_type = "audio/ogg";
  spoken.speech.duration_ms = 900;
  auto back = decode_speech_value(encode_speech_value(spoken, "now"));
  REQUIRE(back);
  CHECK(back->speech.bytes == spoken.speech.bytes);
  CHECK(back->speech.mime_type == "audio/ogg");
  CHECK(back->text == "hola");
  CHECK_FALSE(decode_speech_value(R"({"translated_text": "x"})"));
  CHECK_FALSE(decode_transcript_value("{\"text\": 3}"));
}

TEST_CASE("base64 round-trips and refuses what is not base64", "[io][redis]") {
  for (std::string bytes : {"", "f", "fo", "foo", "foob", "fooba", "foobar"})
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK_FALSE(base64_decode("Zm9v!mFy"));
  CHECK_FALSE(base64_decode("Zm9"));
}

TEST_CASE("a list of remembered languages is read only when every item is a "
          "language tag",
          "[io][redis]") {
  CHECK(conversation_languages_key_name("42") == "parley:lang:c:42");
  CHECK(sender_languages_key_name("42") == "parley:lang:s:42");
  using languages = std::vector<std::string>;
  CHECK(decode_language_list("fr") == languages{"fr"});
  CHECK(decode_language_list("zh-Hant,pt-BR,fr")
        == languages{"zh-Hant", "pt-BR", "fr"});
  for (const auto& corrupt : languages{"", ",", "fr,", ",fr", "fr,,de", "fr de",
                                       "{\"fr\": 1}", std::string(36, 'a')})
    CHECK_FALSE(decode_language_list(corrupt));
  CHECK(is_language_tag("en_US"));
  CHECK_FALSE(is_language_tag("fr,de"));
  CHECK_FALSE(is_language_tag("fran\xc3\xa7"
                              "ais"));
}

TEST_CASE("Redis URLs are read as redis-py reads them", "[io][redis]") {
  auto plain = parse_redis_url("redis://localhost:6379");
  CHECK(plain.host == "localhost");
  CHECK(plain.port == 6379);
  CHECK(plain.database == 0);
  auto full = parse_redis_url("redis://user:s%40cret@10.0.0.5:6380/3");
  CHECK(full.username == "user");
  CHECK(full.password == "s@cret");
  CHECK(full.host == "10.0.0.5");
  CHECK(full.port == 6380);
  CHECK(full.database == 3);
  auto password_only = parse_redis_url("redis://:pw@redis");
  CHECK(password_only.password == "pw");
  CHECK(password_only.port == 6379);
  auto unix_socket = parse_redis_url("unix:///run/redis.sock?db=2");
  CHECK(unix_socket.unix_path == "/run/redis.sock");
  CHECK(unix_socket.database == 2);
  CHECK_THROWS_AS(parse_redis_url("rediss://host"), std::invalid_argument);
  CHECK_THROWS_AS(parse_redis_url("localhost:6379"), std::invalid_argument);
  CHECK_THROWS_AS(parse_redis_url("redis://host:notaport"),
                  std::invalid_argument);
}
