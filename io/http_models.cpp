#include "io/http_models.hpp"

#include <regex>
#include <stdexcept>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/config_file.hpp"
#include "io/http_errors.hpp"
#include "io/json_depth.hpp"
#include "messages/replica.hpp"
#include "messages/secret.hpp"

namespace parley {

namespace {

using nlohmann::json;

const std::regex model_name_pattern{"[A-Za-z0-9_.-]{1,64}"};

/// Whether the request may use the admin API; answers it when not.
bool admitted(const httplib::Request& req, httplib::Response& res,
              const std::string& token) {
  if (token.empty()) {
    reply_error(res, error_code::feature_unavailable,
                "the model admin API is off: set http.admin_token");
    return false;
  }
  if (!secrets_equal(req.get_header_value("Authorization"),
                     "Bearer " + token)) {
    reply_error(res, error_code::unauthorized,
                "a wrong or missing admin token (Authorization: Bearer ...)");
    return false;
  }
  return true;
}

/// The model table of `body`, read and checked as `[models.NAME]` is.
model_config model_of(const std::string& name, const std::string& body) {
  if (!json_depth_within(body, max_json_depth))
    throw config_error("the body nests deeper than "
                       + std::to_string(max_json_depth) + " levels");
  auto table = json::parse(body, nullptr, false);
  if (!table.is_object())
    throw config_error("the body must be a JSON object: a model table");
  std::string toml;
  for (const auto& [key, value] : table.items()) {
    if (!std::regex_match(key, model_name_pattern))
      throw config_error("models." + name + ": '" + key + "' is not a key");
    if (!value.is_primitive() || value.is_null())
      throw config_error("models." + name + "." + key
                         + " must be a string, number or boolean");
    // A JSON scalar is a TOML value: strings escape alike.
    toml += key + " = " + value.dump() + "\n";
  }
  return parse_model_table(name, toml);
}

json models_json(runtime& rt) {
  auto pools = rt.pools();
  auto list = json::array();
  for (const auto& model : rt.models()) {
    json entry{{"name", model.name},
               {"kind", model.kind},
               {"local_replicas", model.replicas}};
    auto status = pools.find(model.name);
    if (status != pools.end()) {
      std::map<std::string, size_t> per_node;
      for (const auto& replica : status->second.replicas)
        ++per_node[replica.node];
      entry["task"] = to_string(status->second.task);
      entry["ready"] = status->second.ready();
      entry["unavailable"] = status->second.unavailable;
      entry["draining"] = status->second.draining;
      entry["queued"] = status->second.queued;
      entry["in_flight"] = status->second.in_flight;
      entry["replicas_per_node"] = per_node;
    }
    list.push_back(std::move(entry));
  }
  return {{"models", std::move(list)}};
}

} // namespace

void install_model_routes(httplib::Server& server, runtime& rt,
                          std::string admin_token) {
  server.Get("/models", [&rt, admin_token](const httplib::Request& req,
                                           httplib::Response& res) {
    if (admitted(req, res, admin_token))
      res.set_content(models_json(rt).dump(), json_type);
  });
  server.Post(R"(/models/([^/]+))", [&rt,
                                     admin_token](const httplib::Request& req,
                                                  httplib::Response& res) {
    if (!admitted(req, res, admin_token))
      return;
    auto name = req.matches[1].str();
    if (!std::regex_match(name, model_name_pattern))
      return reply_error(res, error_code::invalid_request,
                         "a model name is 1 to 64 letters, digits, '_', '.' "
                         "or '-'");
    try {
      rt.add_model(model_of(name, req.body));
    } catch (const std::exception& e) {
      return reply_error(res, error_code::invalid_request, e.what());
    }
    res.status = 201;
    res.set_content(json{{"loaded", name}}.dump(), json_type);
  });
  server.Delete(
      R"(/models/([^/]+))",
      [&rt, admin_token](const httplib::Request& req, httplib::Response& res) {
        if (!admitted(req, res, admin_token))
          return;
        auto name = req.matches[1].str();
        if (!rt.remove_model(name)) {
          res.status = 404;
          res.set_content(json{{"error", "no model " + name},
                               {"errorCode", "INVALID_REQUEST"}}
                              .dump(),
                          json_type);
          return;
        }
        res.set_content(json{{"unloaded", name}}.dump(), json_type);
      });
}

} // namespace parley
