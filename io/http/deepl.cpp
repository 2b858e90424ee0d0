#include "io/http/deepl.hpp"

#include <algorithm>
#include <memory>

#include <caf/actor_system.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/request_validation.hpp"
#include "io/gateway/language_names.hpp"
#include "io/http/api_keys.hpp"
#include "io/http/http_errors.hpp"
#include "io/http/http_translate.hpp"
#include "io/http/request_fields.hpp"
#include "io/http/served_languages.hpp"
#include "messages/admin.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// DeepL's error shape, `{"message": why}`, and statuses.
constexpr public_api_refusal refuse{"message"};

/// DeepL's regional target codes name the language Parley serves.
std::string parley_code(const std::string& deepl_code) {
  auto code = ascii_lower(deepl_code);
  auto dash = code.find('-');
  return dash == std::string::npos ? code : code.substr(0, dash);
}

/// DeepL's answer when `/v2/usage` reports no limit: its client drops an
/// answer without one.
constexpr uint64_t no_character_limit = 1'000'000'000'000ULL;

/// Reads the fields of `req` into `fields` (none for an empty body) and
/// checks its key for the characters of `text`; refuses it otherwise.
bool admit(const http_backend& backend, const httplib::Request& req,
           httplib::Response& res, request_fields& fields) {
  try {
    if (!req.body.empty())
      fields = request_fields::read(req);
  } catch (const bad_fields& e) {
    refuse(res, 400, std::string{"Bad request. Reason: "} + e.what());
    return false;
  }
  auto characters = submitted_characters(fields.all("text"));
  if (auto refused = admit_key(*backend.keys, req, res, characters, &fields)) {
    refuse(res, refused);
    return false;
  }
  return true;
}

/// `tag_handling` (`html` or `xml`) and `ignore_tags` (comma-separated, or
/// repeated); false for another tag handling.
bool read_markup(const request_fields& fields, text_markup& markup) {
  auto handling = ascii_lower(fields.get("tag_handling", ""));
  if (handling == "html")
    markup.format = text_format::html;
  else if (handling == "xml")
    markup.format = text_format::xml;
  else if (!handling.empty())
    return false;
  if (fields.has("ignore_tags"))
    for (const auto& list : fields.all("ignore_tags")) {
      size_t begin = 0;
      while (begin <= list.size()) {
        auto comma = std::min(list.find(',', begin), list.size());
        auto tag = list.substr(begin, comma - begin);
        tag.erase(0, tag.find_first_not_of(' '));
        tag.erase(tag.find_last_not_of(' ') + 1);
        if (!tag.empty())
          markup.ignore_tags.push_back(tag);
        begin = comma + 1;
      }
    }
  return true;
}

void translate(caf::actor_system& sys, const http_backend& backend,
               const httplib::Request& req, httplib::Response& res) {
  request_fields fields;
  if (!admit(backend, req, res, fields))
    return;
  if (!fields.has("text"))
    return refuse(res, 400, "Value for 'text' not supported.");
  auto target = parley_code(fields.get("target_lang"));
  if (target.empty())
    return refuse(res, 400, "Value for 'target_lang' not supported.");
  auto source = parley_code(fields.get("source_lang", "auto"));
  text_markup markup;
  if (!read_markup(fields, markup))
    return refuse(res, 400, "Value for 'tag_handling' not supported.");
  auto requests = requests_for(
      fields.all("text"), source, target, markup, backend.max_text_chars,
      accept_language_hints(req.get_header_value("Accept-Language")));
  if (!requests)
    return refuse(res, requests.error());
  auto outcomes = translate_texts(sys, backend.router, std::move(*requests));
  auto translations = json::array();
  for (const auto& outcome : outcomes) {
    if (outcome.failure)
      return refuse(res, outcome.failure);
    // DeepL's source languages have no region: a hint's `pt-br` is PT.
    const auto& source = outcome.result.source_lang;
    translations.push_back({{"detected_source_language",
                             ascii_upper(source.substr(0, source.find('-')))},
                            {"text", outcome.result.text}});
  }
  res.set_content(json{{"translations", std::move(translations)}}.dump(),
                  json_type);
}

/// DeepL lists English and Portuguese targets by region only.
json target_entries(const std::string& code) {
  auto entry = [](const std::string& language, const std::string& name) {
    return json{
        {"language", language}, {"name", name}, {"supports_formality", false}};
  };
  auto name = name_of_language(code).name;
  if (code == "en")
    return {entry("EN-GB", name + " (British)"),
            entry("EN-US", name + " (American)")};
  if (code == "pt")
    return {entry("PT-BR", name + " (Brazilian)"),
            entry("PT-PT", name + " (European)")};
  return {entry(ascii_upper(code), name)};
}

json languages(const server_status& status, bool targets) {
  auto by_source = targets_by_source(status);
  std::set<std::string> codes;
  for (const auto& [source, reachable] : by_source)
    if (targets)
      codes.insert(reachable.begin(), reachable.end());
    else
      codes.insert(source);
  auto list = json::array();
  for (const auto& code : codes) {
    if (targets) {
      for (auto& entry : target_entries(code))
        list.push_back(std::move(entry));
    } else {
      list.push_back({{"language", ascii_upper(code)},
                      {"name", name_of_language(code).name}});
    }
  }
  return list;
}

} // namespace

void install_deepl_routes(httplib::Server& server, caf::actor_system& sys,
                          const http_backend& backend,
                          std::chrono::milliseconds status_timeout) {
  server.Post("/v2/translate", [&sys, &backend](const httplib::Request& req,
                                                httplib::Response& res) {
    translate(sys, backend, req, res);
  });
  auto list = [&sys, &backend, status_timeout](const httplib::Request& req,
                                               httplib::Response& res) {
    request_fields fields;
    if (!admit(backend, req, res, fields))
      return;
    auto type = req.has_param("type") ? req.get_param_value("type")
                                      : fields.get("type", "source");
    if (type != "source" && type != "target")
      return refuse(res, 400, "Value for 'type' not supported.");
    auto status = fetch_status(sys, backend.admin, status_timeout);
    res.set_content(languages(status, type == "target").dump(), json_type);
  };
  server.Get("/v2/languages", list);
  server.Post("/v2/languages", list);
  auto report = [&backend](const httplib::Request& req,
                           httplib::Response& res) {
    request_fields fields;
    if (!admit(backend, req, res, fields))
      return;
    auto usage = backend.keys->usage(presented_key(req, &fields));
    if (!usage)
      return refuse(res, 403, "invalid API key");
    auto limit = usage->characters_per_day > 0 ? usage->characters_per_day
                                               : no_character_limit;
    res.set_content(
        json{{"character_count", usage->characters}, {"character_limit", limit}}
            .dump(),
        json_type);
  };
  server.Get("/v2/usage", report);
  server.Post("/v2/usage", report);
}

} // namespace parley
