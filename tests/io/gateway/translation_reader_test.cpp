// The single-pass reader of plain translations against the document decode
// it stands in for: the same frames through both give the same typed
// request, and every frame it declines gets the document decode's answer.

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/encoding/json_depth.hpp"
#include "io/gateway/document_decode.hpp"
#include "io/gateway/translation_reader.hpp"

using namespace parley;
using nlohmann::json;

namespace {

const server_identity identity{"parley test", "node", 5555, 5558, false};

decoded_request fast(const std::string& frame,
                     const gateway_config& config = {}) {
  std::vector<std::string> frames{frame};
  return decode_request(frames, config, identity, 42.0);
}

decoded_request document(const std::string& frame,
                         const gateway_config& config = {}) {
  std::vector<std::string_view> frames{frame};
  return decode_request_via_document(frames, config, identity, 42.0);
}

/// A generated task id differs on each decode: only its form is compared.
bool generated(const std::string& task_id_json) {
  return task_id_json.rfind("\"parley-", 0) == 0;
}

void check_same(const decoded_request& a, const decoded_request& b) {
  CHECK(a.type == b.type);
  CHECK(a.reply == b.reply);
  REQUIRE(a.translate.has_value() == b.translate.has_value());
  CHECK_FALSE(a.audio);
  CHECK_FALSE(a.voice);
  if (!a.translate)
    return;
  const auto& x = *a.translate;
  const auto& y = *b.translate;
  CHECK(x.type == y.type);
  if (generated(y.ids.task_id)) {
    CHECK(generated(x.ids.task_id));
    CHECK(x.task_key == json::parse(x.ids.task_id).get<std::string>());
  } else {
    CHECK(x.ids.task_id == y.ids.task_id);
    CHECK(x.task_key == y.task_key);
  }
  CHECK(x.ids.message_id == y.ids.message_id);
  CHECK(x.ids.conversation_id == y.ids.conversation_id);
  CHECK(x.ids.attachment_id == y.ids.attachment_id);
  CHECK(x.ids.post_id == y.ids.post_id);
  CHECK(x.ids.post_media_id == y.ids.post_media_id);
  CHECK(x.ids.text_object_index == y.ids.text_object_index);
  CHECK(x.text == y.text);
  CHECK(x.source_lang == y.source_lang);
  CHECK(x.target_langs == y.target_langs);
  CHECK(x.model_type == y.model_type);
  CHECK(x.received_at == y.received_at);
  CHECK(x.source_hints == y.source_hints);
  CHECK(x.conversation.conversation == y.conversation.conversation);
  CHECK(x.conversation.sender == y.conversation.sender);
}

/// Valid translations the single pass must take whole.
std::vector<std::string> plain_translations() {
  json base = {{"type", "translation"},
               {"taskId", "t-1"},
               {"messageId", "m-1"},
               {"conversationId", "c-1"},
               {"text", "Hello \"world\"\n\u00e9\u4e16"},
               {"sourceLanguage", "en"},
               {"targetLanguages", {"es", "fr", "de"}},
               {"modelType", "basic"},
               {"timestamp", 1700000000000}};
  std::vector<std::string> frames{base.dump(), base.dump(2)};
  auto with = [&](json patch) {
    auto request = base;
    for (const auto& [key, value] : patch.items())
      request[key] = value;
    frames.push_back(request.dump());
  };
  with({{"taskId", 7}, {"messageId", -12}, {"conversationId", 0}});
  with({{"taskId", 18446744073709551615ull}});
  with({{"taskId", nullptr}}); // a generated task id
  with({{"taskId", "with \" quote \\ back \b\f\t\x01\x1f\x7f and \u00e9"}});
  with({{"taskId", ""}, {"conversationId", nullptr}});
  with({{"senderId", "s-1"}, {"userId", "u-1"}});
  with({{"senderId", ""}, {"userId", 99}});
  with({{"userId", "u-2"}, {"userLanguage", "fr"}});
  with({{"userLanguage", ""}, {"sourceLanguage", nullptr}});
  with({{"sourceLanguage", ""}, {"modelType", nullptr}});
  with({{"timestamp", 1.5}, {"targetLanguages", json::array()}});
  with({{"attachmentId", "a"},
        {"postId", 5},
        {"postMediaId", "pm"},
        {"textObjectIndex", 3}});
  with({{"extra", {{"nested", {1, 2.5, true, nullptr, "x"}}}},
        {"flag", false},
        {"ratio", 0.25},
        {"type2", "not the type"}});
  // Escapes the document would unescape, and a byte-order mark.
  frames.push_back(
      R"({"type":"translation","taskId":"a\/b\u0041","text":"x\u00e9\ud83d\ude00",)"
      R"("targetLanguages":["e\u0073"]})");
  frames.push_back("\xEF\xBB\xBF" + base.dump());
  // An unknown field nested exactly as deep as allowed.
  auto depth = max_json_depth - 1;
  frames.push_back(
      R"({"type":"translation","text":"x","targetLanguages":["es"],)"
      R"("deep":)"
      + std::string(depth, '[') + std::string(depth, ']') + "}");
  return frames;
}

/// Frames the single pass must leave to the document decode.
std::vector<std::string> declined_frames() {
  json base = {{"type", "translation"},
               {"taskId", "t-1"},
               {"text", "Hello"},
               {"targetLanguages", {"es"}}};
  std::vector<std::string> frames;
  auto with = [&](json patch) {
    auto request = base;
    for (const auto& [key, value] : patch.items())
      request[key] = value;
    frames.push_back(request.dump());
  };
  for (const auto* key :
       {"taskId", "messageId", "conversationId", "text", "sourceLanguage",
        "targetLanguages", "modelType", "timestamp", "userLanguage", "senderId",
        "userId", "attachmentId", "postId", "textObjectIndex"}) {
    with({{key, {{"an", "object"}}}});
    with({{key, json::array({1})}});
    with({{key, true}});
  }
  for (const auto* key : {"text", "sourceLanguage", "modelType", "userLanguage",
                          "targetLanguages", "type"})
    with({{key, 5}});
  with({{"taskId", 1.5}}); // nlohmann formats a float id its own way
  with({{"postId", 2.0}});
  with({{"targetLanguages", {"es", 5}}});
  with({{"targetLanguages", {"es", nullptr}}});
  with({{"targetLanguages", json::array({json::array({"es"})})}});
  with({{"targetLanguages", "es"}});
  with({{"type", "story_text_object_translation"},
        {"postId", "p"},
        {"textObjectIndex", 0}});
  with({{"type", "ping"}});
  with({{"type", "translate"}});
  frames.push_back(R"({"text":"x","targetLanguages":["es"]})");
  frames.push_back(R"({"type":"translation","targetLanguages":["es"]})");
  frames.push_back(R"({"type":"translation","text":"x"})");
  frames.push_back(
      R"({"type":"translation","text":null,"targetLanguages":["es"]})");
  frames.push_back(
      R"({"type":"translation","text":"x","targetLanguages":null})");
  frames.push_back(R"({"type":null,"text":"x","targetLanguages":["es"]})");
  // The document keeps the last of two equal keys.
  frames.push_back(
      R"({"type":"translation","text":"a","text":"b","targetLanguages":["es"]})");
  frames.push_back(
      R"({"type":"translation","taskId":"1","taskId":2,"text":"a","targetLanguages":["es"]})");
  // Not an object, not JSON, not UTF-8.
  frames.push_back(R"(["type","translation"])");
  frames.push_back(R"("translation")");
  frames.push_back("");
  frames.push_back("{");
  frames.push_back(base.dump() + "x");
  frames.push_back(base.dump() + base.dump());
  frames.push_back(
      "{\"type\":\"translation\",\"text\":\"\xff\",\"targetLanguages\":[]}");
  frames.push_back(
      R"({"type":"translation","text":"\ud800","targetLanguages":["es"]})");
  // Nested one level too deep, and 100,000 levels deep.
  auto depth = max_json_depth;
  frames.push_back(
      R"({"type":"translation","text":"x","targetLanguages":["es"],)"
      R"("deep":)"
      + std::string(depth, '[') + std::string(depth, ']') + "}");
  frames.push_back(R"({"type":"translation","taskId":"d","text":"x",)"
                   R"("targetLanguages":["es"],"deep":)"
                   + std::string(100000, '{') + "}");
  frames.push_back(R"({"type":"translation","taskId":"d","text":"x",)"
                   R"("targetLanguages":["es"],"deep":)"
                   + std::string(100000, '[') + std::string(100000, ']') + "}");
  return frames;
}

} // namespace

TEST_CASE("the single pass reads a plain translation as the document does",
          "[io][codec][reader]") {
  for (const auto& frame : plain_translations()) {
    INFO("frame: " << frame);
    REQUIRE(read_plain_translation(frame));
    auto a = fast(frame);
    REQUIRE(a.translate);
    check_same(a, document(frame));
  }
}

TEST_CASE("frames the single pass declines get the document decode's answer",
          "[io][codec][reader]") {
  for (const auto& frame : declined_frames()) {
    INFO("frame: " << frame.substr(0, 300));
    CHECK_FALSE(read_plain_translation(frame));
    check_same(fast(frame), document(frame));
  }
}

TEST_CASE("a translation cut at every byte decodes as the document decodes it",
          "[io][codec][reader]") {
  auto frame = plain_translations().front();
  for (size_t size = 0; size < frame.size(); ++size) {
    auto cut = frame.substr(0, size);
    INFO("frame: " << cut);
    CHECK_FALSE(read_plain_translation(cut));
    check_same(fast(cut), document(cut));
  }
}

TEST_CASE("frame limits still apply to a plain translation",
          "[io][codec][reader]") {
  auto frame = plain_translations().front();
  gateway_config small;
  small.max_json_bytes = frame.size() - 1;
  auto refused = fast(frame, small);
  CHECK_FALSE(refused.translate);
  CHECK_THAT(refused.reply, Catch::Contains("INVALID_REQUEST"));
  check_same(refused, document(frame, small));
  // A translation with a binary frame is the document decode's to judge.
  gateway_config one_frame;
  one_frame.max_frames = 1;
  std::vector<std::string> frames{frame, "extra"};
  auto two = decode_request(frames, one_frame, identity, 42.0);
  CHECK_FALSE(two.translate);
  CHECK_THAT(two.reply, Catch::Contains("frames; the limit is 1"));
}

TEST_CASE("ids are echoed as nlohmann writes them", "[io][codec][reader]") {
  std::vector<std::string> texts{"", "plain", "\u00e9\u4e16\U0001F600",
                                 "quote\" and back\\slash"};
  for (int byte = 0; byte < 0x80; ++byte)
    texts.push_back(std::string("a") + static_cast<char>(byte) + "b");
  for (const auto& text : texts) {
    INFO("text: " << json(text).dump());
    std::string out = "prefix";
    append_json_string(out, text);
    CHECK(out == "prefix" + json(text).dump());
  }
}

TEST_CASE("a frame the codec fuzzer found the decodes to differ on decodes "
          "alike",
          "[io][codec][reader]") {
  // Frame 0 of the fuzzer's input (its frames are split on "\0FRAME\0"):
  // a translation whose strings hold NUL bytes.
  std::ifstream in{PARLEY_TESTS_DIR "/data/codec_fuzz_divergence.bin",
                   std::ios::binary};
  REQUIRE(in);
  std::string input{std::istreambuf_iterator<char>(in), {}};
  auto frame = input.substr(0, input.find(std::string{"\0FRAME\0", 7}));
  gateway_config tight;
  tight.max_frames = 3;
  tight.max_json_bytes = 2048;
  tight.max_audio_bytes = 64;
  for (const auto& config : {gateway_config{}, tight})
    check_same(fast(frame, config), document(frame, config));
}
