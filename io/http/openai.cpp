#include "io/http/openai.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/request_validation.hpp"
#include "io/http/api_keys.hpp"
#include "io/http/http_audio.hpp"
#include "io/http/http_errors.hpp"
#include "io/http/http_translate.hpp"
#include "io/http/openai_transcripts.hpp"
#include "io/http/request_fields.hpp"
#include "io/http/served_languages.hpp"
#include "messages/admin.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

/// OpenAI's ids that name the recognizer and the synthesizer Parley serves
/// audio with.
const std::vector<std::string> recognizer_aliases{
    "whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"};
const std::vector<std::string> synthesizer_aliases{"tts-1", "tts-1-hd",
                                                   "gpt-4o-mini-tts"};

/// OpenAI's voices, each spoken in one of espeak-ng's English accents.
struct voice_accent {
  const char* voice;
  const char* language;
};
constexpr voice_accent voice_accents[] = {
    {"alloy", "en-us"},         {"ash", "en-us-nyc"},
    {"ballad", "en-gb-x-rp"},   {"coral", "en-029"},
    {"echo", "en-gb-scotland"}, {"fable", "en-gb"},
    {"onyx", "en-gb-x-gbcwmd"}, {"nova", "en-us"},
    {"sage", "en-gb-x-gbclan"}, {"shimmer", "en-us-nyc"},
    {"verse", "en-gb-x-rp"},
};

const std::vector<std::string> speech_formats{"mp3",  "opus", "aac",
                                              "flac", "wav",  "pcm"};

/// Answers OpenAI's error shape; `param` and `code` are null when empty.
void refuse(httplib::Response& res, int status, const std::string& message,
            const std::string& param = {}, const std::string& code = {}) {
  const char* type = status == 429   ? "requests"
                     : status >= 500 ? "server_error"
                                     : "invalid_request_error";
  auto optional = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
  };
  res.status = status;
  res.set_content(json{{"error",
                        {{"message", message},
                         {"type", type},
                         {"param", optional(param)},
                         {"code", optional(code)}}}}
                      .dump(),
                  json_type);
}

/// Refuses with a failure from the actors: its status (429 for a full
/// queue) and its code, lowercase, as OpenAI spells codes.
void refuse(httplib::Response& res, const caf::error& failure) {
  auto code = code_of(failure);
  auto status = code == error_code::overloaded ? 429 : http_status_of(code);
  auto param = code == error_code::missing_audio
                       || code == error_code::audio_decode_failed
                   ? "file"
                   : "";
  refuse(res, status, explanation_of(failure), param,
         ascii_lower(to_string(code)));
}

/// Whether the request carries a key the table admits; refuses it otherwise,
/// as OpenAI does.
bool admitted(const http_backend& backend, const httplib::Request& req,
              httplib::Response& res) {
  auto refused = admit_key(*backend.keys, req, res);
  if (!refused)
    return true;
  if (code_of(refused) == error_code::unauthorized)
    refuse(res, 401, "Incorrect API key provided.", "", "invalid_api_key");
  else
    refuse(res, 429, explanation_of(refused), "", "rate_limit_exceeded");
  return false;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// Whether `requested` names the model of `task` that serves audio (empty:
/// the default); refuses the request otherwise.
bool model_admitted(caf::actor_system& sys, const http_backend& backend,
                    milliseconds status_timeout, const std::string& requested,
                    model_task task, httplib::Response& res) {
  const auto& aliases = task == model_task::transcription ? recognizer_aliases
                                                          : synthesizer_aliases;
  if (requested.empty() || contains(aliases, requested))
    return true;
  auto status = fetch_status(sys, backend.admin, status_timeout);
  auto found = std::find_if(
      status.models.begin(), status.models.end(),
      [&](const model_status& model) { return model.name == requested; });
  if (found == status.models.end()) {
    refuse(res, 404,
           "The model '" + requested
               + "' does not exist or you do not have "
                 "access to it.",
           "model", "model_not_found");
    return false;
  }
  auto route = status.routes.find(
      task == model_task::transcription ? "transcription" : "synthesis");
  if (found->task != task
      || (route != status.routes.end() && route->second != requested)) {
    refuse(res, 400,
           "The model '" + requested + "' is a " + to_string(found->task)
               + " model that does not serve this route",
           "model", "model_not_supported");
    return false;
  }
  return true;
}

json model_entry(const std::string& id, int64_t created) {
  return {{"id", id},
          {"object", "model"},
          {"created", created},
          {"owned_by", "parley"}};
}

/// Every configured model, then the aliases of the audio tasks served.
json model_list(const server_status& status, int64_t created) {
  auto data = json::array();
  bool hears = false;
  bool speaks = false;
  for (const auto& model : status.models) {
    data.push_back(model_entry(model.name, created));
    hears = hears || model.task == model_task::transcription;
    speaks = speaks || model.task == model_task::synthesis;
  }
  for (const auto* aliases : {hears ? &recognizer_aliases : nullptr,
                              speaks ? &synthesizer_aliases : nullptr})
    if (aliases != nullptr)
      for (const auto& alias : *aliases)
        data.push_back(model_entry(alias, created));
  return data;
}

/// Reads a decimal field in [low, high]; refuses the request otherwise.
std::optional<double> read_number(const request_fields& fields,
                                  const std::string& key, double fallback,
                                  double low, double high,
                                  httplib::Response& res) {
  if (!fields.has(key))
    return fallback;
  auto text = fields.get(key);
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value >= low && value <= high)) {
    refuse(res, 400,
           "'" + key + "' must be a number from " + std::to_string(low) + " to "
               + std::to_string(high),
           key, "invalid_value");
    return std::nullopt;
  }
  return value;
}

/// Whether the recognizer `requested` names (empty or an alias: the default)
/// times each word: PocketSphinx's segments are single words; Whisper's are
/// phrases.
bool times_words(caf::actor_system& sys, const http_backend& backend,
                 milliseconds status_timeout, const std::string& requested) {
  auto status = fetch_status(sys, backend.admin, status_timeout);
  auto name = requested;
  bool default_model = name.empty() || contains(recognizer_aliases, name);
  if (default_model) {
    auto route = status.routes.find("transcription");
    name = route == status.routes.end() ? "" : route->second;
  }
  // Without a transcription route, the default is the first recognizer.
  for (const auto& model : status.models)
    if (model.name == name
        || (name.empty() && model.task == model_task::transcription))
      return model.kind == "pocketsphinx";
  return false;
}

/// The translations of `texts` into `target`, or none after refusing.
std::optional<std::vector<std::string>>
translate_all(caf::actor_system& sys, const http_backend& backend,
              const std::vector<std::string>& texts, const std::string& source,
              const std::string& target, httplib::Response& res) {
  auto requests =
      requests_for(texts, source, target, {}, backend.max_text_chars);
  if (!requests) {
    refuse(res, requests.error());
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (auto& outcome :
       translate_texts(sys, backend.router, std::move(*requests))) {
    if (outcome.failure) {
      refuse(res, outcome.failure);
      return std::nullopt;
    }
    out.push_back(std::move(outcome.result.text));
  }
  return out;
}

/// `/v1/audio/transcriptions` (`translate` false) and `/translations`.
void hear(caf::actor_system& sys, const http_backend& backend,
          milliseconds status_timeout, bool translate,
          const httplib::Request& req, httplib::Response& res) {
  if (!req.is_multipart_form_data())
    return refuse(res, 400,
                  "Expected a multipart/form-data body with a 'file' part",
                  "file", "invalid_content_type");
  request_fields fields;
  try {
    fields = request_fields::read(req);
  } catch (const bad_fields& e) {
    return refuse(res, 400, e.what());
  }
  if (!req.has_file("file") || req.get_file_value("file").content.empty())
    return refuse(res, 400, "Missing the audio 'file' part", "file",
                  "missing_file");
  auto model = fields.get("model");
  auto format = transcript_format_named(fields.get("response_format", "json"));
  if (!format)
    return refuse(res, 400,
                  "'response_format' must be json, text, srt, vtt or "
                  "verbose_json",
                  "response_format", "invalid_value");
  bool words = false;
  for (const auto& granularity : fields.all("timestamp_granularities")) {
    if (granularity != "segment" && granularity != "word")
      return refuse(res, 400,
                    "'timestamp_granularities[]' takes segment and word",
                    "timestamp_granularities", "invalid_value");
    words = words || granularity == "word";
  }
  if (words && (translate || !times_words(sys, backend, status_timeout, model)))
    return refuse(res, 400,
                  translate ? "Word timestamps are for transcriptions"
                            : "This recognizer times phrases, not words: word "
                              "timestamps need a PocketSphinx model",
                  "timestamp_granularities", "invalid_value");
  auto temperature = read_number(fields, "temperature", 0, 0, 1, res);
  if (!temperature
      || !model_admitted(sys, backend, status_timeout, model,
                         model_task::transcription, res))
    return;
  audio_request request;
  request.audio = req.get_file_value("file").content;
  request.language = ascii_lower(fields.get("language"));
  auto heard = transcribe_recording(sys, backend.router, std::move(request));
  if (heard.failure)
    return refuse(res, heard.failure);
  transcript_view view{translate ? "translate" : "transcribe",
                       heard.result.language,
                       heard.result.duration_ms / 1000.0,
                       heard.result.text,
                       heard.result.segments,
                       *temperature,
                       words};
  auto target = ascii_lower(fields.get("target_language", "en"));
  if (translate
      && normalize_language_tag(target)
             != normalize_language_tag(view.language)) {
    // The whole text and each segment that has words, in one batch.
    std::vector<std::string> texts{view.text};
    std::vector<transcript_segment*> worded;
    for (auto& segment : view.segments)
      if (!segment.text.empty()) {
        texts.push_back(segment.text);
        worded.push_back(&segment);
      }
    auto source = view.language.empty() ? "auto" : view.language;
    auto translated = translate_all(sys, backend, texts, source, target, res);
    if (!translated)
      return;
    view.text = (*translated)[0];
    for (size_t i = 0; i < worded.size(); ++i)
      worded[i]->text = (*translated)[i + 1];
    view.language = target;
  }
  auto answer = render_transcript(view, *format);
  res.set_content(answer.body, answer.content_type.c_str());
}

/// The espeak-ng language to speak `voice` in; empty for an unknown voice.
/// Text in another language than English is spoken in that language.
std::string speaking_language(const std::string& voice,
                              const std::string& language) {
  for (const auto& accent : voice_accents)
    if (voice == accent.voice)
      return language.empty() || normalize_language_tag(language) == "en"
                 ? accent.language
                 : language;
  return {};
}

/// `/v1/audio/speech`.
void speak(caf::actor_system& sys, const http_backend& backend,
           milliseconds status_timeout, const httplib::Request& req,
           httplib::Response& res) {
  request_fields fields;
  try {
    fields = request_fields::read(req);
  } catch (const bad_fields& e) {
    return refuse(res, 400, e.what());
  }
  auto input = fields.get("input");
  if (input.empty())
    return refuse(res, 400, "Missing 'input', the text to speak", "input",
                  "missing_required_parameter");
  auto voice = ascii_lower(fields.get("voice", "alloy"));
  auto language = speaking_language(voice, ascii_lower(fields.get("language")));
  if (language.empty())
    return refuse(res, 400,
                  "Unknown voice '" + voice
                      + "': expected alloy, ash, ballad, coral, echo, fable, "
                        "onyx, nova, sage, shimmer or verse",
                  "voice", "invalid_value");
  auto format = fields.get("response_format", "mp3");
  if (!contains(speech_formats, format))
    return refuse(res, 400,
                  "'response_format' must be mp3, opus, aac, flac, wav or pcm",
                  "response_format", "invalid_value");
  auto speed = read_number(fields, "speed", 1, 0.25, 4, res);
  if (!speed
      || !model_admitted(sys, backend, status_timeout, fields.get("model"),
                         model_task::synthesis, res))
    return;
  auto speech = speak_text(
      sys, backend,
      synthesize_request{0, language, input, static_cast<float>(*speed)},
      format);
  if (!speech)
    return refuse(res, speech.error());
  res.set_content(speech->bytes, speech->mime_type.c_str());
}

/// Gives cpp-httplib's own refusals (no route, a body too large, a
/// multipart body it cannot parse) each API's shape: OpenAI's under `/v1`.
/// It is the server's one error handler, so it answers for every path.
httplib::Server::HandlerResponse openai_refusal(const httplib::Request& req,
                                                httplib::Response& res) {
  if (!res.body.empty())
    return httplib::Server::HandlerResponse::Unhandled;
  if (req.path.rfind("/v1/", 0) != 0) {
    // The other APIs' shapes: DeepL's `{message}` under /v2, else the
    // `{error}` that LibreTranslate and Parley's own routes share.
    auto why = res.status == 413   ? "The request body is too large"
               : res.status == 404 ? "Unknown request URL"
                                   : "The request body could not be parsed";
    auto field = req.path.rfind("/v2/", 0) == 0 ? "message" : "error";
    res.set_content(json{{field, why}}.dump(), json_type);
    return httplib::Server::HandlerResponse::Handled;
  }
  switch (res.status) {
  case 404:
    refuse(res, 404, "Unknown request URL: " + req.method + " " + req.path, "",
           "unknown_url");
    break;
  case 413:
    refuse(res, 413, "The request body is larger than this server accepts",
           "file", "request_too_large");
    break;
  case 400:
    refuse(res, 400, "The request body could not be parsed", "",
           "invalid_body");
    break;
  default:
    refuse(res, res.status, "The request failed");
  }
  return httplib::Server::HandlerResponse::Handled;
}

} // namespace

void install_openai_routes(httplib::Server& server, caf::actor_system& sys,
                           const http_backend& backend,
                           milliseconds status_timeout) {
  auto created = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  server.set_error_handler(
      httplib::Server::HandlerWithResponse{openai_refusal});
  server.Get("/v1/models", [&sys, &backend, status_timeout,
                            created](const httplib::Request& req,
                                     httplib::Response& res) {
    if (!admitted(backend, req, res))
      return;
    auto status = fetch_status(sys, backend.admin, status_timeout);
    res.set_content(
        json{{"object", "list"}, {"data", model_list(status, created)}}.dump(),
        json_type);
  });
  server.Get(R"(/v1/models/([^/]+))",
             [&sys, &backend, status_timeout,
              created](const httplib::Request& req, httplib::Response& res) {
               if (!admitted(backend, req, res))
                 return;
               auto id = req.matches[1].str();
               auto status = fetch_status(sys, backend.admin, status_timeout);
               for (auto& entry : model_list(status, created))
                 if (entry["id"] == id)
                   return res.set_content(entry.dump(), json_type);
               refuse(res, 404, "The model '" + id + "' does not exist",
                      "model", "model_not_found");
             });
  for (bool translate : {false, true})
    server.Post(
        translate ? "/v1/audio/translations" : "/v1/audio/transcriptions",
        [&sys, &backend, status_timeout, translate](const httplib::Request& req,
                                                    httplib::Response& res) {
          if (admitted(backend, req, res))
            hear(sys, backend, status_timeout, translate, req, res);
        });
  server.Post("/v1/audio/speech",
              [&sys, &backend, status_timeout](const httplib::Request& req,
                                               httplib::Response& res) {
                if (admitted(backend, req, res))
                  speak(sys, backend, status_timeout, req, res);
              });
}

} // namespace parley
