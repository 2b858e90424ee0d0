#include "io/http/http_server.hpp"

#include <atomic>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/request_validation.hpp"
#include "io/encoding/json_depth.hpp"
#include "io/http/api_keys.hpp"
#include "io/http/cluster_json.hpp"
#include "io/http/deepl.hpp"
#include "io/http/detection_json.hpp"
#include "io/http/http_dashboard.hpp"
#include "io/http/http_errors.hpp"
#include "io/http/http_models.hpp"
#include "io/http/http_translate.hpp"
#include "io/http/libretranslate.hpp"
#include "io/http/openai.hpp"
#include "io/http/prometheus.hpp"
#include "messages/admin.hpp"
#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/translation.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// Reads `key` as a string, or returns false.
bool read_string(const json& body, const char* key, std::string& out,
                 bool required) {
  auto i = body.find(key);
  if (i == body.end() || i->is_null())
    return !required;
  if (!i->is_string())
    return false;
  out = i->get<std::string>();
  return true;
}

json routes_json(const language_routes& languages) {
  auto pairs = json::array();
  for (const auto& route : languages.routes)
    pairs.push_back({{"source", route.source_lang},
                     {"target", route.target_lang},
                     {"via", route.via}});
  return {{"any_pair", languages.routes.empty() && languages.languages.empty()},
          {"pairs", std::move(pairs)},
          {"languages", languages.languages}};
}

} // namespace

http_server::http_server(caf::actor_system& sys, http_backend backend,
                         http_limits limits,
                         std::shared_ptr<const edge_liveness> liveness,
                         std::string admin_token)
    : sys_(sys), backend_(std::move(backend)), liveness_(std::move(liveness)),
      status_timeout_(limits.status_timeout),
      started_(std::chrono::steady_clock::now()),
      server_(std::make_unique<guarded_http_server>(limits)) {
  if (!backend_.keys)
    backend_.keys = std::make_shared<api_key_table>();
  if (!backend_.files)
    backend_.files = std::make_shared<file_store>();
  install_routes();
  install_dashboard_routes(*server_, sys_, backend_.dashboard, status_timeout_,
                           admin_token);
  install_model_routes(*server_, sys_, backend_.admin, status_timeout_,
                       std::move(admin_token));
  install_deepl_routes(*server_, sys_, backend_, status_timeout_);
  install_openai_routes(*server_, sys_, backend_, status_timeout_);
}

server_status http_server::status() {
  caf::scoped_actor self{sys_};
  server_status result;
  // The admin actor answers by the status timeout whatever the pools do.
  self->request(backend_.admin, caf::infinite, status_atom::value,
                caf::timespan{status_timeout_})
      .receive([&](server_status& status) { result = std::move(status); },
               [&](caf::error& err) {
                 spdlog::warn("HTTP: no status from the admin actor: {}",
                              sys_.render(err));
               });
  return result;
}

metrics http_server::current_metrics() {
  caf::scoped_actor self{sys_};
  metrics result;
  self->request(backend_.admin, caf::infinite, stats_atom::value)
      .receive([&](metrics& current) { result = std::move(current); },
               [&](caf::error& err) {
                 spdlog::warn("HTTP: no counters from the admin actor: {}",
                              sys_.render(err));
               });
  if (backend_.keys->keys_required())
    for (const auto& [reason, count] : backend_.keys->refusals())
      result.values["http_api_key_refusals_total{reason=\"" + reason + "\"}"] =
          static_cast<double>(count);
  return result;
}

http_server::~http_server() {
  stop();
}

void http_server::start(const std::string& address, uint16_t port) {
  if (!server_->bind(address, port))
    throw std::runtime_error("cannot bind HTTP to " + address + ":"
                             + std::to_string(port));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void http_server::stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
  server_->shutdown();
}

std::vector<std::string> http_server::failing_parts() const {
  return liveness_ ? liveness_->failing() : std::vector<std::string>{};
}

void http_server::install_routes() {
  auto& server = *server_;
  server.Get("/live", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"alive"})", json_type);
  });
  server.Get("/ready", [this](const httplib::Request&, httplib::Response& res) {
    auto failing = failing_parts();
    auto ready = failing.empty() && status().ready();
    res.status = ready ? 200 : 503;
    auto body = json{{"ready", ready}};
    if (!failing.empty())
      body["stopped"] = failing;
    res.set_content(body.dump(), json_type);
  });
  server.Get("/health", [this](const httplib::Request&,
                               httplib::Response& res) {
    auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                                - started_)
                      .count();
    auto failing = failing_parts();
    auto ready = failing.empty() && status().ready();
    auto body = json{{"status", !failing.empty() ? "failing"
                                : ready          ? "ok"
                                                 : "loading"},
                     {"ready", ready},
                     {"version", backend_.identity.version},
                     {"node", backend_.identity.node},
                     {"uptime_s", uptime}};
    // The shared tier is optional: its trouble degrades, never un-readies.
    auto current = current_metrics();
    if (auto up = current.values.find("redis_up"); up != current.values.end())
      body["redis"] = up->second >= 1 ? "ok" : "degraded";
    if (!failing.empty()) {
      // A part of the gateway edge stopped: requests are no longer read or
      // answered, whatever the models say.
      res.status = 503;
      body["stopped"] = failing;
    }
    res.set_content(body.dump(), json_type);
  });
  server.Get("/metrics",
             [this](const httplib::Request&, httplib::Response& res) {
               res.set_content(to_prometheus(current_metrics()),
                               "text/plain; version=0.0.4");
             });
  server.Get("/stats", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"ready", status().ready()}, {"metrics", current_metrics().values}}
            .dump(),
        json_type);
  });
  server.Get("/cluster", [this](const httplib::Request&,
                                httplib::Response& res) {
    caf::scoped_actor self{sys_};
    cluster_status cluster;
    caf::error failed;
    self->request(backend_.admin, caf::infinite, cluster_atom::value,
                  caf::timespan{status_timeout_})
        .receive([&](cluster_status& x) { cluster = std::move(x); },
                 [&](caf::error& err) { failed = std::move(err); });
    if (failed)
      return reply_error(res, error_code::internal_error, sys_.render(failed));
    res.set_content(cluster_json(cluster).dump(), json_type);
  });
  // LibreTranslate's array by default; Parley's view per model with
  // `?view=models`.
  server.Get("/languages", [this](const httplib::Request& req,
                                  httplib::Response& res) {
    auto current = status();
    if (req.get_param_value("view") != "models")
      return libretranslate_languages(current, res);
    auto models = json::object();
    for (const auto& model : current.models)
      if (model.ready())
        models[model.name] = routes_json(model.pool.languages);
    res.set_content(
        json{{"models", std::move(models)}, {"routes", current.routes}}.dump(),
        json_type);
  });
  server.Get("/frontend/settings",
             [this](const httplib::Request&, httplib::Response& res) {
               libretranslate_settings(backend_, status(), res);
             });
  server.Post("/translate_file",
              [this](const httplib::Request& req, httplib::Response& res) {
                libretranslate_translate_file(sys_, backend_, req, res);
              });
  server.Get(R"(/download_file/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               libretranslate_download_file(backend_, req.matches[1], res);
             });
  auto detect = [this](const httplib::Request& req, httplib::Response& res) {
    if (is_libretranslate_request(req))
      return libretranslate_detect(backend_, req, res);
    std::string text;
    std::vector<std::string> hints;
    std::string error;
    if (!json_depth_within(req.body, max_json_depth))
      return reply_error(res, error_code::invalid_request,
                         "the body nests deeper than "
                             + std::to_string(max_json_depth) + " levels");
    if (!read_detect_body(req.body, text, hints, error))
      return reply_error(res, error_code::invalid_request, error);
    if (auto refused = admit_key(*backend_.keys, req, res))
      return reply_error(res, refused);
    if (auto bad = validate_text(text, backend_.max_text_chars))
      return reply_error(res, bad);
    res.set_content(
        detection_json(detect_or_off(backend_.detect, text, {hints, {}}))
            .dump(),
        json_type);
  };
  server.Post("/detect", detect);
  server.Post("/detect-language", detect);
  server.Post("/translate", [this](const httplib::Request& req,
                                   httplib::Response& res) {
    if (is_libretranslate_request(req))
      return libretranslate_translate(sys_, backend_, req, res);
    if (!json_depth_within(req.body, max_json_depth))
      return reply_error(res, error_code::invalid_request,
                         "the body nests deeper than "
                             + std::to_string(max_json_depth) + " levels");
    auto body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    translate_request request;
    std::string target;
    std::string hint;
    std::string format = "text";
    if (!body.is_object() || !read_string(body, "text", request.text, true)
        || !read_string(body, "source_language", request.source_lang, false)
        || !read_string(body, "target_language", target, true)
        || !read_string(body, "model_type", request.model, false)
        || !read_string(body, "user_language", hint, false)
        || !read_string(body, "format", format, false)
        || !read_string(body, "conversation_id",
                        request.conversation.conversation, false)
        || !read_string(body, "sender_id", request.conversation.sender, false)
        || (format != "text" && format != "html" && format != "xml"))
      return reply_error(res, error_code::invalid_request,
                         "expected a JSON object with string fields text, "
                         "target_language and optionally source_language "
                         "(default auto), model_type, user_language, "
                         "conversation_id, sender_id and format (text, html "
                         "or xml)");
    request.markup.format = format == "html"  ? text_format::html
                            : format == "xml" ? text_format::xml
                                              : text_format::plain;
    if (auto refused = admit_key(*backend_.keys, req, res,
                                 submitted_characters({request.text})))
      return reply_error(res, refused);
    if (request.source_lang.empty())
      request.source_lang = "auto";
    if (!hint.empty())
      request.source_hints.push_back(hint);
    request.target_langs = {target};
    auto outcome = std::move(
        translate_texts(sys_, backend_.router, {std::move(request)}).front());
    if (outcome.failure)
      return reply_error(res, outcome.failure);
    const auto& result = outcome.result;
    json answer = {{"translated_text", result.text},
                   {"source_language", result.source_lang},
                   {"target_language", result.target_lang},
                   {"model", result.model},
                   {"from_cache", result.from_cache},
                   {"route", result.route},
                   {"translation_time", result.inference_us / 1e6}};
    if (result.detection.method != detection_method::none) {
      auto detected = detection_json(result.detection);
      answer["detected_language"] = detected["language"];
      answer["detection_confidence"] = detected["confidence"];
      answer["detection_method"] = detected["method"];
    }

    res.set_content(answer.dump(), json_type);
  });
}

} // namespace parley
