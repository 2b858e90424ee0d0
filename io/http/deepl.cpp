#include "io/http/deepl.hpp"

#include <atomic>
#include <memory>

#include <caf/actor_system.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/request_validation.hpp"
#include "io/gateway/language_names.hpp"
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

/// What `/v2/translate` has translated, for `/v2/usage`.
struct usage_counter {
  std::atomic<uint64_t> characters{0};
};

void translate(caf::actor_system& sys, const http_backend& backend,
               usage_counter& usage, const httplib::Request& req,
               httplib::Response& res) {
  request_fields fields;
  try {
    fields = request_fields::read(req);
  } catch (const bad_fields& e) {
    return refuse(res, 400, std::string{"Bad request. Reason: "} + e.what());
  }
  if (!fields.has("text"))
    return refuse(res, 400, "Value for 'text' not supported.");
  auto target = parley_code(fields.get("target_lang"));
  if (target.empty())
    return refuse(res, 400, "Value for 'target_lang' not supported.");
  auto source = parley_code(fields.get("source_lang", "auto"));
  const auto& texts = fields.all("text");
  auto requests = requests_for(texts, source, target, backend.max_text_chars);
  if (!requests)
    return refuse(res, requests.error());
  uint64_t characters = 0;
  for (const auto& text : texts)
    characters += text.size();
  auto outcomes = translate_texts(sys, backend.router, std::move(*requests));
  auto translations = json::array();
  for (const auto& outcome : outcomes) {
    if (outcome.failure)
      return refuse(res, outcome.failure);
    translations.push_back(
        {{"detected_source_language", ascii_upper(outcome.result.source_lang)},
         {"text", outcome.result.text}});
  }
  usage.characters += characters;
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
  auto usage = std::make_shared<usage_counter>();
  server.Post("/v2/translate",
              [&sys, &backend, usage](const httplib::Request& req,
                                      httplib::Response& res) {
                translate(sys, backend, *usage, req, res);
              });
  auto list = [&sys, &backend, status_timeout](const httplib::Request& req,
                                               httplib::Response& res) {
    std::string type = "source";
    if (req.has_param("type")) {
      type = req.get_param_value("type");
    } else if (!req.body.empty()) {
      try {
        type = request_fields::read(req).get("type", type);
      } catch (const bad_fields& e) {
        return refuse(res, 400,
                      std::string{"Bad request. Reason: "} + e.what());
      }
    }
    if (type != "source" && type != "target")
      return refuse(res, 400, "Value for 'type' not supported.");
    auto status = fetch_status(sys, backend.admin, status_timeout);
    res.set_content(languages(status, type == "target").dump(), json_type);
  };
  server.Get("/v2/languages", list);
  server.Post("/v2/languages", list);
  auto report = [usage](const httplib::Request&, httplib::Response& res) {
    // DeepL's client drops an answer without the limit; Parley has none.
    res.set_content(json{{"character_count", usage->characters.load()},
                         {"character_limit", 1'000'000'000'000ULL}}
                        .dump(),
                    json_type);
  };
  server.Get("/v2/usage", report);
  server.Post("/v2/usage", report);
}

} // namespace parley
