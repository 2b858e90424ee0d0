// The request codec against every request type the gateway sends, with
// every field the gateway's client may set: whole, with each field of the
// wrong type, cut at every byte, and nested too deep. No input may throw,
// and every refusal is the error event the request's client waits for.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "io/gateway/gateway_protocol.hpp"
#include "tests/support/gateway_samples.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

const server_identity identity{"parley test", "node", 5555, 5558, true};

decoded_request decode(const std::string& frame0,
                       std::vector<std::string> binary = {}) {
  std::vector<std::string> frames{frame0};
  frames.insert(frames.end(), binary.begin(), binary.end());
  gateway_config config;
  return decode_request(frames, config, identity, 1.0);
}

void check_refusal(const decoded_request& decoded, const gateway_sample& s,
                   const std::string& field) {
  INFO("field: " << field);
  REQUIRE_FALSE(decoded.reply.empty());
  auto reply = json::parse(decoded.reply);
  CHECK(reply["type"] == s.error_type);
  CHECK(reply["errorCode"] == "INVALID_REQUEST");
  CHECK_THAT(reply["error"].get<std::string>(), Catch::Contains(field));
  if (field != s.id_key && field != "type")
    CHECK(reply[s.id_key] == s.request[s.id_key]);
}

} // namespace

TEST_CASE("every request type the gateway sends decodes whole", "[io][codec]") {
  for (const auto& s : gateway_samples()) {
    INFO("request: " << s.request.dump());
    auto decoded = decode(s.request.dump(), s.binary);
    auto type = s.request["type"].get<std::string>();
    if (decoded.translate || decoded.audio || decoded.voice) {
      CHECK(decoded.reply.empty());
      continue;
    }
    // The rest need voice cloning, speaker analysis or a store.
    auto reply = json::parse(decoded.reply);
    CHECK(reply["type"] == s.error_type);
    CHECK(reply["errorCode"] == "FEATURE_UNAVAILABLE");
    CHECK(reply[s.id_key] == s.request[s.id_key]);
    if (s.error_type == "voice_api_error")
      CHECK(reply["requestType"] == type);
    if (s.error_type == "voice_profile_error")
      CHECK(reply["success"] == false);
  }
}

TEST_CASE("a wrong-typed value in any field is that request's typed error",
          "[io][codec]") {
  size_t checked = 0;
  for (const auto& s : gateway_samples()) {
    for (const auto& [key, value] : s.request.items()) {
      if (key == "type")
        continue;
      auto bad = s.request;
      bad[key] = wrong_type_for(value);
      check_refusal(decode(bad.dump(), s.binary), s, key);
      ++checked;
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("nested fields are type-checked too", "[io][codec]") {
  auto base = gateway_samples()[3]; // audio_process
  auto bad_text = base;
  bad_text.request["mobileTranscription"]["text"] = 5;
  check_refusal(decode(bad_text.request.dump(), base.binary), base,
                "mobileTranscription.text");
  auto bad_segment = base;
  bad_segment.request["mobileTranscription"]["segments"][0]["startMs"] = "0";
  check_refusal(decode(bad_segment.request.dump(), base.binary), base,
                "mobileTranscription.segments[0].startMs");
  auto bad_frame = base;
  bad_frame.request["binaryFrames"]["audio"] = "one";
  check_refusal(decode(bad_frame.request.dump(), base.binary), base,
                "binaryFrames.audio");
  auto clone = gateway_samples()[2]; // transcription_only
  clone.request["generateVoiceClone"] = "yes";
  check_refusal(decode(clone.request.dump(), clone.binary), clone,
                "generateVoiceClone");
  auto audio_clone = base;
  audio_clone.request["generateVoiceClone"] = "yes";
  check_refusal(decode(audio_clone.request.dump(), base.binary), base,
                "generateVoiceClone");
}

TEST_CASE("a request cut at any byte is refused without throwing",
          "[io][codec]") {
  for (const auto& s : gateway_samples()) {
    auto text = s.request.dump();
    for (size_t cut = 0; cut < text.size(); ++cut) {
      INFO("cut at " << cut << " of " << text);
      auto decoded = decode(text.substr(0, cut), s.binary);
      REQUIRE_FALSE(decoded.reply.empty());
      auto reply = json::parse(decoded.reply);
      CHECK(reply["errorCode"] == "INVALID_REQUEST");
    }
  }
}

TEST_CASE("JSON nested past the limit is refused with the request's ids",
          "[io][codec]") {
  // 100,000 levels: enough to overflow any recursive parser or walk.
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string request = R"({"type": "audio_process", "messageId": "m-deep", )"
                        R"("targetLanguages": ["es"], "mobileTranscription": )"
                        + deep + "}";
  auto reply = json::parse(decode(request).reply);
  CHECK(reply["type"] == "audio_process_error");
  CHECK(reply["messageId"] == "m-deep");
  CHECK(reply["errorCode"] == "INVALID_REQUEST");
  CHECK_THAT(reply["error"].get<std::string>(), Catch::Contains("64 levels"));
  // 64 levels are still fine.
  std::string ok = R"({"type": "translation", "taskId": "t", "text": "x", )"
                   R"("targetLanguages": ["es"], "extra": )"
                   + std::string(62, '[') + std::string(62, ']') + "}";
  CHECK(decode(ok).translate);
}

TEST_CASE("out-of-range times and confidences are clamped, never cast blindly",
          "[io][codec]") {
  // Found by the fuzzer: a startMs of 1e14 overflowed a cast to uint32_t.
  json request{{"type", "transcription_only"},
               {"taskId", "t"},
               {"mobileTranscription",
                {{"text", "hola"},
                 {"confidence", 1e300},
                 {"segments",
                  {{{"text", "hola"},
                    {"startMs", 99999999999400.0},
                    {"endMs", -5},
                    {"confidence", -1}}}}}}};
  auto decoded = decode(request.dump());
  REQUIRE(decoded.audio);
  const auto& audio = *decoded.audio;
  CHECK(audio.mobile_confidence == 1.0f);
  REQUIRE(audio.mobile_segments.size() == 1);
  CHECK(audio.mobile_segments[0].start_ms == 4294967295u);
  CHECK(audio.mobile_segments[0].end_ms == 0);
  CHECK(audio.mobile_segments[0].confidence == 0.0f);
}
