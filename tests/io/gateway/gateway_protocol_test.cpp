// The gateway protocol codec, without sockets.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "io/gateway/gateway_protocol.hpp"
#include "messages/error_code.hpp"

using namespace parley;
using nlohmann::json;

namespace {

const server_identity identity{"parley 0.1.0", "node-1", 5555, 5558, false};

decoded_request decode(const json& request,
                       std::vector<std::string> binary = {},
                       const gateway_config& config = {}) {
  std::vector<std::string> frames{request.dump()};
  frames.insert(frames.end(), binary.begin(), binary.end());
  return decode_request(frames, config, identity, 1000.0);
}

json reply_of(const decoded_request& decoded) {
  REQUIRE_FALSE(decoded.translate);
  return json::parse(decoded.reply);
}

} // namespace

TEST_CASE("a translation request decodes into a typed job", "[io]") {
  auto decoded = decode({{"type", "translation"},
                         {"taskId", "t-1"},
                         {"messageId", "post:1"},
                         {"conversationId", 77},
                         {"text", "Hello"},
                         {"sourceLanguage", "en"},
                         {"targetLanguages", {"es", "fr"}},
                         {"modelType", "premium"}});
  REQUIRE(decoded.translate);
  const auto& job = *decoded.translate;
  CHECK(job.type == "translation");
  CHECK(job.task_key == "t-1");
  CHECK(job.ids.task_id == "\"t-1\"");
  CHECK(job.ids.message_id == "\"post:1\"");
  CHECK(job.ids.conversation_id == "77");
  CHECK(job.text == "Hello");
  CHECK(job.source_lang == "en");
  CHECK(job.target_langs == std::vector<std::string>{"es", "fr"});
  CHECK(job.model_type == "premium");
  CHECK(job.received_at == 1000.0);
}

TEST_CASE("a translation without task id or source gets defaults", "[io]") {
  auto decoded = decode({{"type", "translation"},
                         {"text", "Hello"},
                         {"targetLanguages", {"es"}}});
  REQUIRE(decoded.translate);
  CHECK(decoded.translate->source_lang == "auto");
  CHECK_FALSE(decoded.translate->task_key.empty());
  CHECK(json::parse(decoded.translate->ids.task_id)
        == decoded.translate->task_key);
}

TEST_CASE("errors name the problem, use the matching type and echo ids",
          "[io]") {
  auto error = reply_of(decode({{"type", "translation"},
                                {"taskId", 9},
                                {"messageId", "m"},
                                {"text", "x"}}));
  CHECK(error["type"] == "translation_error");
  CHECK(error["taskId"] == 9);
  CHECK(error["messageId"] == "m");
  CHECK(error["errorCode"] == "INVALID_REQUEST");
  CHECK_THAT(error["error"].get<std::string>(),
             Catch::Contains("targetLanguages"));
  auto unknown = reply_of(decode({{"type", "dance"}, {"postId", "p"}}));
  CHECK(unknown["type"] == "error");
  CHECK(unknown["postId"] == "p");
  CHECK_THAT(unknown["error"].get<std::string>(), Catch::Contains("dance"));
  auto broken = json::parse(
      decode_request(std::vector<std::string>{"{oops"}, {}, identity, 1.0)
          .reply);
  CHECK(broken["type"] == "error");
  CHECK(broken["errorCode"] == "INVALID_REQUEST");
}

TEST_CASE("frame limits are enforced before anything else", "[io]") {
  gateway_config config;
  config.max_frames = 2;
  config.max_audio_bytes = 10;
  config.max_json_bytes = 200;
  json ping{{"type", "ping"}};
  CHECK(json::parse(decode(ping, {"a", "b"}, config).reply)["type"] == "error");
  auto big = json::parse(
      decode({{"type", "transcription_only"}, {"binaryFrames", {{"audio", 1}}}},
             {std::string(11, 'x')}, config)
          .reply);
  CHECK(big["type"] == "transcription_error");
  CHECK_THAT(big["error"].get<std::string>(), Catch::Contains("11 bytes"));
  auto long_json = decode_request(
      std::vector<std::string>{std::string(201, ' ')}, config, identity, 1);
  CHECK_THAT(long_json.reply, Catch::Contains("limit is 200"));
}

TEST_CASE("binary frame indexes must point at a non-empty frame", "[io]") {
  json request{{"type", "transcription_only"},
               {"taskId", "a"},
               {"binaryFrames", {{"audio", 2}}}};
  auto out_of_range = reply_of(decode(request, {"x"}));
  CHECK(out_of_range["errorCode"] == "MISSING_AUDIO");
  request["binaryFrames"]["audio"] = 0;
  CHECK(reply_of(decode(request, {"x"}))["errorCode"] == "MISSING_AUDIO");
  request["binaryFrames"]["audio"] = 1;
  CHECK(reply_of(decode(request, {""}))["errorCode"] == "MISSING_AUDIO");
  auto fine = decode(request, {"x"});
  REQUIRE(fine.audio);
  CHECK(fine.audio->audio == "x");
  CHECK(fine.audio->type == "transcription_only");
}

TEST_CASE("audio jobs carry their audio from a frame, a path or base64",
          "[io]") {
  json request{
      {"type", "audio_process"},       {"messageId", "m"},
      {"attachmentId", "a"},           {"targetLanguages", {"es", "fr"}},
      {"userLanguage", "en"},          {"generateVoiceClone", true},
      {"binaryFrames", {{"audio", 1}}}};
  auto framed = decode(request, {"RIFFdata"});
  REQUIRE(framed.audio);
  CHECK(framed.audio->audio == "RIFFdata");
  CHECK(framed.audio->target_langs == std::vector<std::string>{"es", "fr"});
  CHECK(framed.audio->language == "en");
  CHECK(framed.audio->voice_clone);
  CHECK(framed.audio->ids.message_id == "\"m\"");
  CHECK_FALSE(framed.audio->ids.task_id.empty()); // generated
  // Generated ids never repeat.
  CHECK(decode(request, {"RIFFdata"}).audio->ids.task_id
        != framed.audio->ids.task_id);
  // A numeric and a string task id are one task for re-sends, as for text.
  auto numbered = request;
  numbered["taskId"] = 7;
  CHECK(decode(numbered, {"RIFFdata"}).audio->task_key == "7");
  numbered["taskId"] = "7";
  CHECK(decode(numbered, {"RIFFdata"}).audio->task_key == "7");
  request.erase("binaryFrames");
  request["audioData"] = "UklGRmRhdGE="; // base64 of "RIFFdata"
  request["audioFormat"] = "wav";
  // Base64 is decoded off the edge (io/gateway/audio_loader), not by the codec.
  auto encoded = decode(request);
  REQUIRE(encoded.audio);
  CHECK(encoded.audio->audio.empty());
  CHECK(encoded.audio->audio_base64 == "UklGRmRhdGE=");
  request.erase("audioData");
  // The gateway always sends an empty audioUrl: it counts as absent.
  request["audioUrl"] = "";
  request["audioBase64"] = "UklGRmRhdGE=";
  auto with_url = decode(request);
  REQUIRE(with_url.audio);
  CHECK(with_url.audio->audio_base64 == "UklGRmRhdGE=");
  request["audioUrl"] = "https://example.org/a.ogg";
  auto fetched = reply_of(decode(request));
  CHECK(fetched["type"] == "audio_process_error");
  CHECK(fetched["errorCode"] == "INVALID_REQUEST");
  CHECK_FALSE(fetched["taskId"].get<std::string>().empty());
  request.erase("audioUrl");
  request.erase("audioBase64");
  request["mobileTranscription"] = {{"text", "hola"}, {"language", "es"}};
  auto mobile = decode(request);
  REQUIRE(mobile.audio);
  CHECK(mobile.audio->mobile_text == "hola");
  CHECK(mobile.audio->mobile_language == "es");
}

TEST_CASE("audio paths are honoured only inside the audio directory", "[io]") {
  namespace fs = std::filesystem;
  auto root =
      fs::temp_directory_path() / ("parley_audio_" + std::to_string(getpid()));
  fs::create_directories(root / "inside");
  std::ofstream{root / "inside" / "clip.wav"} << "RIFF";
  std::ofstream{root / "secret.txt"} << "no";
  fs::create_symlink(root / "secret.txt", root / "inside" / "escape.wav");
  auto dir = (root / "inside").string();
  CHECK(resolve_audio_path(dir, "clip.wav"));
  CHECK(resolve_audio_path(dir, (root / "inside" / "clip.wav").string()));
  auto traversal = resolve_audio_path(dir, "../secret.txt");
  REQUIRE_FALSE(traversal);
  CHECK(code_of(traversal.error()) == error_code::invalid_request);
  auto symlink = resolve_audio_path(dir, "escape.wav");
  REQUIRE_FALSE(symlink);
  CHECK(code_of(symlink.error()) == error_code::invalid_request);
  auto absolute = resolve_audio_path(dir, "/etc/passwd");
  REQUIRE_FALSE(absolute);
  CHECK(code_of(absolute.error()) == error_code::invalid_request);
  auto missing = resolve_audio_path(dir, "nope.wav");
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == error_code::missing_audio);
  auto disabled = resolve_audio_path("", "clip.wav");
  REQUIRE_FALSE(disabled);
  CHECK(code_of(disabled.error()) == error_code::invalid_request);
  fs::remove_all(root);
}

TEST_CASE("translation events carry every field of the protocol", "[io]") {
  gateway_translate request;
  request.type = "translation";
  request.ids.task_id = "\"t\"";
  request.ids.message_id = "42";
  request.ids.conversation_id = "\"c\"";
  request.source_lang = "en";
  request.model_type = "medium";
  request.text = "hello";
  request.received_at = 10.0;
  translation result{1,    "es", "hola", "apertium", {"en", "es"},
                     true, 2000, 5000};
  auto done = json::parse(
      encode_translation_completed(request, result, identity, 10.5));
  CHECK(done["type"] == "translation_completed");
  CHECK(done["taskId"] == "t");
  CHECK(done["targetLanguage"] == "es");
  CHECK(done["timestamp"] == 10.5);
  const auto& r = done["result"];
  CHECK(r["messageId"] == 42);
  CHECK(r["translatedText"] == "hola");
  CHECK(r["sourceLanguage"] == "en");
  CHECK(r["targetLanguage"] == "es");
  CHECK(r["processingTime"] == Approx(0.5));
  CHECK(r["modelType"] == "medium");
  CHECK(r["translatorModel"] == "apertium");
  CHECK(r["workerName"] == "node-1");
  CHECK(r["translationTime"] == Approx(0.005));
  CHECK(r["queueTime"] == Approx(0.002));
  CHECK(r["fromCache"] == true);
  CHECK(r.contains("confidenceScore"));
  CHECK(r.contains("poolType"));
  CHECK(done["metadata"]["translatorVersion"] == "parley 0.1.0");
  CHECK(done["metadata"]["processingNode"] == "node-1");

  auto error = json::parse(encode_translation_error(
      request, "de", make_error(error_code::unsupported_language, "no pair"),
      11.0));
  CHECK(error["type"] == "translation_error");
  CHECK(error["messageId"] == 42);
  CHECK(error["conversationId"] == "c");
  CHECK(error["targetLanguage"] == "de");
  CHECK(error["errorCode"] == "UNSUPPORTED_LANGUAGE");
  CHECK(error["error"] == "no pair");

  auto busy = json::parse(encode_translation_error(
      request, "fr", make_error(error_code::overloaded, "queue full"), 11.0));
  // The only text the gateway's client retries on.
  CHECK(busy["error"] == "translation pool full");
  CHECK(busy["errorCode"] == "OVERLOADED");

  auto skipped = json::parse(encode_translation_skipped(request, 12, 10, 1.0));
  CHECK(skipped["reason"] == "message_too_long");
  CHECK(skipped["length"] == 12);
  CHECK(skipped["max_length"] == 10);
}
