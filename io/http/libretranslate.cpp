#include "io/http/libretranslate.hpp"

#include <cmath>
#include <map>
#include <set>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/request_validation.hpp"
#include "io/gateway/language_names.hpp"
#include "io/http/api_keys.hpp"
#include "io/http/file_pieces.hpp"
#include "io/http/http_errors.hpp"
#include "io/http/http_translate.hpp"
#include "io/http/request_fields.hpp"
#include "io/http/served_languages.hpp"
#include "messages/admin.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// LibreTranslate's error shape, `{"error": why}`, and statuses.
constexpr public_api_refusal refuse{"error"};

/// `{language, confidence}`, confidence from 0 to 100 as LibreTranslate
/// gives it.
/// LibreTranslate's clients know primary codes only (a hint's `fr-ch` is
/// `fr` to them).
json detected(const std::string& language, float confidence) {
  return {{"language", language.substr(0, language.find('-'))},
          {"confidence", std::round(double{confidence} * 1000) / 10}};
}

/// Reads the fields of `req`, which must hold `q`; refuses it otherwise.
bool read_query(const httplib::Request& req, httplib::Response& res,
                request_fields& fields) {
  try {
    fields = request_fields::read(req);
  } catch (const bad_fields& e) {
    refuse(res, 400, std::string{"Invalid request: "} + e.what());
    return false;
  }
  if (fields.has("q"))
    return true;
  refuse(res, 400, "Invalid request: missing q parameter");
  return false;
}

} // namespace

bool is_libretranslate_request(const httplib::Request& req) {
  // The body decides, not its Content-Type: `curl -d '{"text": ...}'` labels
  // JSON as a form.
  auto body = json::parse(req.body, nullptr, false);
  if (body.is_object())
    return body.contains("q");
  auto type = req.get_header_value("Content-Type");
  return type.rfind("application/x-www-form-urlencoded", 0) == 0
         || type.rfind("multipart/form-data", 0) == 0;
}

void libretranslate_translate(caf::actor_system& sys,
                              const http_backend& backend,
                              const httplib::Request& req,
                              httplib::Response& res) {
  request_fields fields;
  if (!read_query(req, res, fields))
    return;
  if (auto refused = admit_key(*backend.keys, req, res,
                               submitted_characters(fields.all("q")), &fields))
    return refuse(res, refused);
  auto target = ascii_lower(fields.get("target"));
  if (target.empty())
    return refuse(res, 400, "Invalid request: missing target parameter");
  auto source = ascii_lower(fields.get("source", "auto"));
  auto format = fields.get("format", "text");
  if (format != "text" && format != "html")
    return refuse(res, 400, "Invalid request: format must be text or html");
  auto requests = requests_for(
      fields.all("q"), source, target,
      {format == "html" ? text_format::html : text_format::plain, {}},
      backend.max_text_chars,
      accept_language_hints(req.get_header_value("Accept-Language")));
  if (!requests)
    return refuse(res, requests.error());
  auto outcomes = translate_texts(sys, backend.router, std::move(*requests));
  auto texts = json::array();
  auto languages = json::array();
  for (const auto& outcome : outcomes) {
    if (outcome.failure)
      return refuse(res, outcome.failure);
    texts.push_back(outcome.result.text);
    const auto& detection = outcome.result.detection;
    languages.push_back(detected(outcome.result.source_lang,
                                 detection.method == detection_method::none
                                     ? 1.0f
                                     : detection.confidence));
  }
  bool list = fields.is_list("q");
  json answer;
  answer["translatedText"] = list ? texts : texts.at(0);
  if (source == "auto")
    answer["detectedLanguage"] = list ? languages : languages.at(0);
  // No model proposes alternatives: an empty list each, as LibreTranslate
  // answers when it has none.
  if (std::atoi(fields.get("alternatives", "0").c_str()) > 0) {
    auto none = json::array();
    answer["alternatives"] =
        list ? json(std::vector<json>(texts.size(), none)) : none;
  }
  res.set_content(answer.dump(), json_type);
}

void libretranslate_translate_file(caf::actor_system& sys,
                                   const http_backend& backend,
                                   const httplib::Request& req,
                                   httplib::Response& res) {
  request_fields fields;
  try {
    fields = request_fields::read(req);
  } catch (const bad_fields& e) {
    return refuse(res, 400, std::string{"Invalid request: "} + e.what());
  }
  if (!req.has_file("file") || req.get_file_value("file").filename.empty())
    return refuse(res, 400, "Invalid request: missing file parameter");
  auto file = req.get_file_value("file");
  if (auto refused = admit_key(*backend.keys, req, res,
                               submitted_characters({file.content}), &fields))
    return refuse(res, refused);
  auto target = ascii_lower(fields.get("target"));
  if (target.empty())
    return refuse(res, 400, "Invalid request: missing target parameter");
  auto source = ascii_lower(fields.get("source", "auto"));
  auto name = safe_file_name(file.filename);
  auto kind = file_kind_of(name);
  if (!kind) {
    std::string supported;
    for (const auto& extension : translatable_file_extensions())
      supported += (supported.empty() ? "" : ", ") + extension;
    return refuse(res, 400,
                  "Invalid request: file format not supported (supported: "
                      + supported + ")");
  }
  if (utf8_length(file.content) == std::string::npos)
    return refuse(res, 400, "Invalid request: the file is not UTF-8 text");
  auto pieces = file_pieces(*kind, file.content, backend.max_text_chars);
  std::vector<std::string> texts;
  for (const auto& piece : pieces)
    if (piece.translate)
      texts.push_back(piece.text);
  text_markup markup;
  markup.format =
      *kind == file_kind::html ? text_format::html : text_format::plain;
  auto requests = requests_for(
      texts, source, target, markup, backend.max_text_chars,
      accept_language_hints(req.get_header_value("Accept-Language")));
  if (!requests)
    return refuse(res, requests.error());
  auto outcomes = translate_texts(sys, backend.router, std::move(*requests));
  std::string translated;
  auto outcome = outcomes.begin();
  for (const auto& piece : pieces) {
    if (!piece.translate) {
      translated += piece.text;
      continue;
    }
    if (outcome->failure)
      return refuse(res, outcome->failure);
    translated += outcome++->result.text;
  }
  auto key = backend.files->put({name, content_type_of(*kind), translated});
  if (key.empty())
    return refuse(res, 413,
                  "Invalid request: the translated file is too large");
  auto host = req.get_header_value("Host");
  if (host.empty())
    host = req.local_addr + ":" + std::to_string(req.local_port);
  res.set_content(
      json{{"translatedFileUrl", "http://" + host + "/download_file/" + key}}
          .dump(),
      json_type);
}

void libretranslate_download_file(const http_backend& backend,
                                  const std::string& key,
                                  httplib::Response& res) {
  auto file = backend.files->get(key);
  if (!file)
    return refuse(res, 404, "Invalid request: no such file (or it expired)");
  res.set_header("Content-Disposition",
                 "attachment; filename=\"" + file->name + "\"");
  res.set_content(file->content, file->content_type.c_str());
}

void libretranslate_detect(const http_backend& backend,
                           const httplib::Request& req,
                           httplib::Response& res) {
  request_fields fields;
  if (!read_query(req, res, fields))
    return;
  if (auto refused = admit_key(*backend.keys, req, res, 0, &fields))
    return refuse(res, refused);
  auto text = fields.get("q");
  if (auto bad = validate_text(text, backend.max_text_chars))
    return refuse(res, bad);
  detection_context context;
  context.hints =
      accept_language_hints(req.get_header_value("Accept-Language"));
  auto detection = detect_or_off(backend.detect, text, context);
  // LibreTranslate lists its candidates, best first; the decided language
  // comes first even where a hint, not the score, decided.
  auto answer = json::array();
  if (!detection.language.empty())
    answer.push_back(detected(detection.language, detection.confidence));
  for (const auto& candidate : detection.candidates)
    if (candidate.language
        != detection.language.substr(0, detection.language.find('-')))
      answer.push_back(detected(candidate.language, candidate.score));
  res.set_content(answer.dump(), json_type);
}

void libretranslate_languages(const server_status& status,
                              httplib::Response& res) {
  auto answer = json::array();
  for (const auto& [source, targets] : targets_by_source(status))
    answer.push_back({{"code", source},
                      {"name", name_of_language(source).name},
                      {"targets", targets}});
  res.set_content(answer.dump(), json_type);
}

void libretranslate_settings(const http_backend& backend,
                             const server_status& status,
                             httplib::Response& res) {
  auto targets = targets_by_source(status);
  std::string source = targets.count("en") > 0 ? "en"
                       : targets.empty()       ? ""
                                               : targets.begin()->first;
  std::string target;
  if (!source.empty())
    target = targets[source].count("es") > 0 ? "es" : *targets[source].begin();
  json answer = {
      {"charLimit", backend.max_text_chars},
      {"frontendTimeout", 500},
      {"apiKeys", backend.keys->keys_required()},
      {"keyRequired", backend.keys->keys_required()},
      {"suggestions", false},
      {"filesTranslation", true},
      {"supportedFilesFormat", translatable_file_extensions()},
      {"language",
       {{"source", {{"code", "auto"}, {"name", "Auto Detect"}}},
        {"target",
         {{"code", target}, {"name", name_of_language(target).name}}}}}};
  res.set_content(answer.dump(), json_type);
}

} // namespace parley
