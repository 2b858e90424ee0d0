// OpenAI's audio API on a real parleyd with the embedded engines (Apertium,
// PocketSphinx, espeak-ng), as OpenAI's SDKs send it: multipart recordings,
// JSON texts to speak.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/media/audio_decoder.hpp"
#include "tests/support/audio_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

// The engines under names of the test's own, to tell names from aliases.
const std::string models = "[models.text]\nkind = \"apertium\"\n"
                           "[models.ears]\nkind = \"pocketsphinx\"\n"
                           "[models.voice]\nkind = \"espeak\"\n"
                           "[routes]\ndefault = \"text\"\n";

const std::set<std::string> aliases{
    "whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe",
    "tts-1",     "tts-1-hd",          "gpt-4o-mini-tts"};

/// A parleyd with the test's models, and the recording it hears.
struct openai_server {
  server_process server{models};
  uint16_t port = server.http_port;
  std::string wav = jfk_bytes();
};

/// Posts `fields` and, unless empty, `file` as multipart/form-data.
httplib::Result
post_audio(uint16_t port, const std::string& path, const std::string& file,
           const std::vector<std::pair<std::string, std::string>>& fields) {
  httplib::MultipartFormDataItems items;
  if (!file.empty())
    items.push_back({"file", file, "speech.wav", "audio/wav"});
  for (const auto& [name, value] : fields)
    items.push_back({name, value, "", ""});
  httplib::Client client{"127.0.0.1", port};
  client.set_read_timeout(120, 0);
  client.set_bearer_token_auth("sk-anything");
  return client.Post(path.c_str(), items);
}

httplib::Result post_speech(uint16_t port, const json& body) {
  httplib::Client client{"127.0.0.1", port};
  client.set_read_timeout(60, 0);
  return client.Post("/v1/audio/speech", body.dump(), "application/json");
}

/// The answer to a request that must succeed.
httplib::Response succeeded(const httplib::Result& res) {
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  return *res;
}

/// The `error` object of an OpenAI error answer.
json error_of(const httplib::Result& res) {
  REQUIRE(res);
  auto body = json::parse(res->body);
  REQUIRE(body.contains("error"));
  const auto& error = body["error"];
  CHECK(error["message"].is_string());
  CHECK(error["type"].is_string());
  CHECK(error.contains("param"));
  CHECK(error.contains("code"));
  return error;
}

} // namespace

TEST_CASE_METHOD(openai_server,
                 "OpenAI's transcriptions answer a recording in every response "
                 "format",
                 "[io][http][openai]") {

  auto plain =
      succeeded(post_audio(port, "/v1/audio/transcriptions", wav,
                           {{"model", "whisper-1"}, {"prompt", "Kennedy"}}));
  auto heard = json::parse(plain.body);
  CHECK_THAT(lower(heard["text"]), Catch::Contains("country"));

  auto text = succeeded(post_audio(port, "/v1/audio/transcriptions", wav,
                                   {{"model", "gpt-4o-transcribe"},
                                    {"response_format", "text"},
                                    {"temperature", "0.2"}}));
  CHECK_THAT(text.get_header_value("Content-Type"),
             Catch::StartsWith("text/plain"));
  CHECK_THAT(lower(text.body), Catch::Contains("for you"));

  auto srt =
      succeeded(post_audio(port, "/v1/audio/transcriptions", wav,
                           {{"model", "ears"}, {"response_format", "srt"}}));
  CHECK_THAT(srt.body, Catch::StartsWith("1\n00:00:"));
  CHECK_THAT(srt.body, Catch::Contains(",") && Catch::Contains(" --> "));
  CHECK_THAT(lower(srt.body), Catch::Contains("country"));

  auto vtt = succeeded(post_audio(port, "/v1/audio/transcriptions", wav,
                                  {{"response_format", "vtt"}}));
  CHECK_THAT(vtt.body, Catch::StartsWith("WEBVTT\n\n00:00:"));
  CHECK_THAT(lower(vtt.body), Catch::Contains("country"));

  auto verbose =
      succeeded(post_audio(port, "/v1/audio/transcriptions", wav,
                           {{"model", "whisper-1"},
                            {"language", "en"},
                            {"response_format", "verbose_json"},
                            {"timestamp_granularities[]", "segment"}}));
  auto body = json::parse(verbose.body);
  CHECK_FALSE(body.contains("words"));
  CHECK(body["task"] == "transcribe");
  CHECK(body["language"] == "english");
  // jfk.wav lasts 11 s.
  auto duration = body["duration"].get<double>();
  CHECK(duration > 10);
  CHECK(duration < 12);
  CHECK_THAT(lower(body["text"]), Catch::Contains("country"));
  const auto& segments = body["segments"];
  REQUIRE(segments.size() > 3);
  double last_start = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& segment = segments[i];
    CHECK(segment["id"] == i);
    CHECK(segment["text"].is_string());
    CHECK(segment["tokens"].is_array());
    auto start = segment["start"].get<double>();
    auto end = segment["end"].get<double>();
    CHECK(start >= last_start);
    CHECK(end >= start);
    CHECK(end <= duration + 0.5);
    last_start = start;
  }
}

TEST_CASE_METHOD(openai_server,
                 "OpenAI's translations answer in English, and Parley's "
                 "target_language in any served language",
                 "[io][http][openai]") {

  auto english = succeeded(post_audio(port, "/v1/audio/translations", wav,
                                      {{"model", "whisper-1"}}));
  CHECK_THAT(lower(json::parse(english.body)["text"]),
             Catch::Contains("country"));

  auto spanish = succeeded(post_audio(port, "/v1/audio/translations", wav,
                                      {{"model", "whisper-1"},
                                       {"target_language", "es"},
                                       {"response_format", "verbose_json"}}));
  auto body = json::parse(spanish.body);
  CHECK(body["task"] == "translate");
  CHECK(body["language"] == "spanish");
  // "country" is Spanish "país".
  CHECK_THAT(lower(body["text"]), Catch::Contains("país"));
  CHECK_THAT(lower(body["text"]), !Catch::Contains("country"));
  REQUIRE(body["segments"].size() > 0);

  auto subtitles = succeeded(
      post_audio(port, "/v1/audio/translations", wav,
                 {{"target_language", "es"}, {"response_format", "srt"}}));
  CHECK_THAT(subtitles.body, Catch::StartsWith("1\n"));

  auto unserved = post_audio(port, "/v1/audio/translations", wav,
                             {{"target_language", "ja"}});
  REQUIRE(unserved);
  CHECK(unserved->status == 400);
  error_of(unserved);
}

TEST_CASE_METHOD(openai_server,
                 "OpenAI's speech is encoded in every response format",
                 "[io][http][openai]") {
  auto input = "Ask not what your country can do for you.";

  auto riff = succeeded(post_speech(port, {{"model", "tts-1"},
                                           {"input", input},
                                           {"voice", "alloy"},
                                           {"response_format", "wav"}}));
  CHECK(riff.get_header_value("Content-Type") == "audio/wav");
  CHECK(riff.body.substr(0, 4) == "RIFF");
  auto decoded = parley::decode_audio(riff.body);
  CHECK(decoded.duration_seconds > 1);

  // mp3 by default, as OpenAI answers.
  auto mp3 = succeeded(post_speech(port, {{"model", "gpt-4o-mini-tts"},
                                          {"input", input},
                                          {"voice", "fable"},
                                          {"instructions", "Speak calmly."}}));
  CHECK(mp3.get_header_value("Content-Type") == "audio/mpeg");
  auto heard = parley::decode_audio(mp3.body);
  CHECK(heard.codec == "mp3");
  CHECK(heard.duration_seconds == Approx(decoded.duration_seconds).margin(0.3));

  // `speed` sets the speaking rate: twice as fast is clearly shorter, half as
  // fast clearly longer (pauses at the edges do not scale).
  auto at_speed = [&](double speed) {
    auto spoken = succeeded(post_speech(port, {{"input", input},
                                               {"voice", "alloy"},
                                               {"speed", speed},
                                               {"response_format", "wav"}}));
    return parley::decode_audio(spoken.body).duration_seconds;
  };
  CHECK(at_speed(2) < decoded.duration_seconds * 0.75);
  CHECK(at_speed(0.5) > decoded.duration_seconds * 1.4);

  for (const auto* format : {"opus", "aac", "flac"}) {
    INFO(format);
    auto encoded = post_speech(port, {{"model", "voice"},
                                      {"input", input},
                                      {"voice", "onyx"},
                                      {"response_format", format}});
    REQUIRE(encoded);
    REQUIRE(encoded->status == 200);
    CHECK(parley::decode_audio(encoded->body).codec == format);
  }

  auto pcm = succeeded(post_speech(
      port, {{"input", input}, {"voice", "nova"}, {"response_format", "pcm"}}));
  // Headerless 16-bit samples at 24 kHz: as long as the wav.
  CHECK(pcm.body.size() % 2 == 0);
  CHECK(pcm.body.size() / 2.0 / 24000
        == Approx(decoded.duration_seconds).margin(0.1));

  auto spanish = post_speech(port, {{"input", "El gato es negro."},
                                    {"voice", "coral"},
                                    {"language", "es"},
                                    {"response_format", "wav"}});
  REQUIRE(spanish);
  CHECK(spanish->status == 200);
}

TEST_CASE_METHOD(openai_server,
                 "PocketSphinx's words come back timed with the word "
                 "granularity",
                 "[io][http][openai]") {
  auto verbose =
      succeeded(post_audio(port, "/v1/audio/transcriptions", jfk_bytes(),
                           {{"model", "whisper-1"},
                            {"response_format", "verbose_json"},
                            {"timestamp_granularities[]", "word"},
                            {"timestamp_granularities[]", "segment"}}));
  auto body = json::parse(verbose.body);
  const auto& words = body["words"];
  REQUIRE(words.size() > 5);
  auto text = lower(body["text"]);
  double previous_end = 0;
  for (const auto& word : words) {
    auto said = lower(word["word"]);
    INFO(said);
    CHECK(said.find(' ') == std::string::npos);
    CHECK(text.find(said) != std::string::npos);
    auto start = word["start"].get<double>();
    auto end = word["end"].get<double>();
    CHECK(start <= end);
    CHECK(start >= previous_end - 1e-9);
    previous_end = end;
  }
  CHECK(previous_end <= body["duration"].get<double>() + 1e-9);
}

TEST_CASE_METHOD(
    openai_server,
    "OpenAI's model list names the configured models and the aliases",
    "[io][http][openai]") {
  auto listed = http_get(port, "/v1/models");
  REQUIRE(listed.status == 200);
  auto body = json::parse(listed.body);
  CHECK(body["object"] == "list");
  std::set<std::string> ids;
  for (const auto& entry : body["data"]) {
    CHECK(entry["object"] == "model");
    CHECK(entry["owned_by"] == "parley");
    CHECK(entry["created"].is_number_integer());
    ids.insert(entry["id"].get<std::string>());
  }
  for (const auto& id : aliases)
    CHECK(ids.count(id) == 1);
  for (const auto* id : {"text", "ears", "voice"})
    CHECK(ids.count(id) == 1);
  CHECK(ids.size() == aliases.size() + 3);

  auto one = http_get(port, "/v1/models/tts-1-hd");
  REQUIRE(one.status == 200);
  CHECK(json::parse(one.body)["id"] == "tts-1-hd");
  auto none = http_get(port, "/v1/models/gpt-5");
  CHECK(none.status == 404);
  CHECK(json::parse(none.body)["error"]["code"] == "model_not_found");
}

TEST_CASE_METHOD(
    openai_server,
    "OpenAI's audio routes refuse bad requests in OpenAI's shape and "
    "keep serving",
    "[io][http][openai]") {
  const std::string transcriptions = "/v1/audio/transcriptions";

  auto no_file = post_audio(port, transcriptions, "", {{"model", "whisper-1"}});
  REQUIRE(no_file);
  CHECK(no_file->status == 400);
  CHECK(error_of(no_file)["param"] == "file");
  CHECK(error_of(no_file)["type"] == "invalid_request_error");

  auto not_audio =
      post_audio(port, transcriptions, "This is a text file, not a recording.",
                 {{"model", "whisper-1"}});
  REQUIRE(not_audio);
  CHECK(not_audio->status == 400);
  CHECK(error_of(not_audio)["param"] == "file");

  auto unknown = post_audio(port, transcriptions, wav, {{"model", "gpt-5"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(error_of(unknown)["param"] == "model");
  CHECK(error_of(unknown)["code"] == "model_not_found");

  auto wrong_task = post_audio(port, transcriptions, wav, {{"model", "voice"}});
  REQUIRE(wrong_task);
  CHECK(wrong_task->status == 400);
  CHECK(error_of(wrong_task)["param"] == "model");

  auto bad_format =
      post_audio(port, transcriptions, wav, {{"response_format", "docx"}});
  REQUIRE(bad_format);
  CHECK(bad_format->status == 400);
  CHECK(error_of(bad_format)["param"] == "response_format");

  auto letters = post_audio(port, transcriptions, wav,
                            {{"response_format", "verbose_json"},
                             {"timestamp_granularities[]", "letter"}});
  REQUIRE(letters);
  CHECK(letters->status == 400);
  CHECK(error_of(letters)["param"] == "timestamp_granularities");
  auto translated_words = post_audio(port, "/v1/audio/translations", wav,
                                     {{"response_format", "verbose_json"},
                                      {"timestamp_granularities[]", "word"}});
  REQUIRE(translated_words);
  CHECK(translated_words->status == 400);

  // A multipart body cut short of its closing boundary.
  httplib::Client client{"127.0.0.1", port};
  auto broken = client.Post(transcriptions.c_str(),
                            "--xyz\r\nContent-Disposition: form-data; "
                            "name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF",
                            "multipart/form-data; boundary=xyz");
  REQUIRE(broken);
  CHECK(broken->status == 400);
  error_of(broken);

  auto json_body = http_post(port, transcriptions, R"({"model":"whisper-1"})");
  CHECK(json_body.status == 400);

  auto speech_format = post_speech(
      port,
      {{"input", "Hello."}, {"voice", "alloy"}, {"response_format", "ogg"}});
  REQUIRE(speech_format);
  CHECK(speech_format->status == 400);
  CHECK(error_of(speech_format)["param"] == "response_format");
  auto voice = post_speech(port, {{"input", "Hello."}, {"voice", "hal"}});
  REQUIRE(voice);
  CHECK(voice->status == 400);
  CHECK(error_of(voice)["param"] == "voice");
  auto no_input = post_speech(port, {{"voice", "alloy"}});
  REQUIRE(no_input);
  CHECK(no_input->status == 400);
  CHECK(error_of(no_input)["param"] == "input");
  auto speed = post_speech(
      port, {{"input", "Hello."}, {"voice", "alloy"}, {"speed", 9}});
  REQUIRE(speed);
  CHECK(speed->status == 400);
  CHECK(error_of(speed)["param"] == "speed");
  auto wrong_model = post_speech(
      port, {{"input", "Hello."}, {"voice", "alloy"}, {"model", "ears"}});
  REQUIRE(wrong_model);
  CHECK(wrong_model->status == 400);

  auto unknown_route = http_get(port, "/v1/files");
  CHECK(unknown_route.status == 404);
  CHECK(json::parse(unknown_route.body)["error"]["code"] == "unknown_url");

  // Still serving after every refusal.
  auto heard = post_audio(port, transcriptions, wav, {});
  REQUIRE(heard);
  CHECK(heard->status == 200);
}

TEST_CASE("OpenAI's API takes only the configured keys, within their limits",
          "[io][http][openai][keys]") {
  server_process server{models + R"(
[[http.api_keys]]
key = "sk-parley"

[[http.api_keys]]
key = "sk-limited"
requests_per_minute = 1
)"};
  auto port = server.http_port;
  httplib::Client client{"127.0.0.1", port};
  auto anonymous = client.Get("/v1/models");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  CHECK(error_of(anonymous)["code"] == "invalid_api_key");
  client.set_bearer_token_auth("sk-wrong");
  auto wrong = client.Get("/v1/models");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  client.set_bearer_token_auth("sk-parley");
  auto right = client.Get("/v1/models");
  REQUIRE(right);
  CHECK(right->status == 200);
  client.set_bearer_token_auth("sk-limited");
  auto first = client.Get("/v1/models");
  REQUIRE(first);
  CHECK(first->status == 200);
  auto over = client.Get("/v1/models");
  REQUIRE(over);
  CHECK(over->status == 429);
  CHECK(error_of(over)["code"] == "rate_limit_exceeded");
  CHECK_FALSE(over->get_header_value("Retry-After").empty());
}
