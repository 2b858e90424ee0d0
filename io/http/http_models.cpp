#include "io/http/http_models.hpp"

#include <regex>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/encoding/json_depth.hpp"
#include "io/http/http_errors.hpp"
#include "messages/admin.hpp"
#include "messages/error_code.hpp"
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

/// The model table of `body` as TOML, the keys of `[models.NAME]`, for the
/// admin actor to read and check as the configuration file is read.
std::string model_table_of(const std::string& name, const std::string& body) {
  if (!json_depth_within(body, max_json_depth))
    throw std::invalid_argument("the body nests deeper than "
                                + std::to_string(max_json_depth) + " levels");
  auto table = json::parse(body, nullptr, false);
  if (!table.is_object())
    throw std::invalid_argument("the body must be a JSON object: a model "
                                "table");
  std::string toml;
  for (const auto& [key, value] : table.items()) {
    if (!std::regex_match(key, model_name_pattern))
      throw std::invalid_argument("models." + name + ": '" + key
                                  + "' is not a key");
    if (!value.is_primitive() || value.is_null())
      throw std::invalid_argument("models." + name + "." + key
                                  + " must be a string, number or boolean");
    // A JSON scalar is a TOML value: strings escape alike.
    toml += key + " = " + value.dump() + "\n";
  }
  return toml;
}

json models_json(const server_status& status) {
  auto list = json::array();
  for (const auto& model : status.models) {
    json entry{{"name", model.name},
               {"kind", model.kind},
               {"local_replicas", model.local_replicas}};
    if (model.answered) {
      std::map<std::string, size_t> per_node;
      for (const auto& replica : model.pool.replicas)
        ++per_node[replica.node];
      entry["task"] = to_string(model.task);
      entry["ready"] = model.pool.ready();
      entry["unavailable"] = model.pool.unavailable;
      entry["draining"] = model.pool.draining;
      entry["queued"] = model.pool.queued;
      entry["in_flight"] = model.pool.in_flight;
      entry["replicas_per_node"] = per_node;
    }
    list.push_back(std::move(entry));
  }
  return {{"models", std::move(list)}};
}

/// Sends `xs` to the admin actor and waits for its one reply, which goes to
/// `answer`; a failure is answered as an error response.
template <class Answer, class... Ts>
void ask_admin(caf::actor_system& sys, const admin_actor& admin,
               httplib::Response& res, Answer answer, Ts&&... xs) {
  caf::scoped_actor self{sys};
  self->request(admin, caf::infinite, std::forward<Ts>(xs)...)
      .receive(answer, [&](caf::error& err) { reply_error(res, err); });
}

} // namespace

void install_model_routes(httplib::Server& server, caf::actor_system& sys,
                          admin_actor admin,
                          std::chrono::milliseconds status_timeout,
                          std::string admin_token) {
  server.Get("/models",
             [&sys, admin, status_timeout, admin_token](
                 const httplib::Request& req, httplib::Response& res) {
               if (!admitted(req, res, admin_token))
                 return;
               ask_admin(
                   sys, admin, res,
                   [&](server_status& status) {
                     res.set_content(models_json(status).dump(), json_type);
                   },
                   status_atom::value, caf::timespan{status_timeout});
             });
  server.Post(R"(/models/([^/]+))", [&sys, admin,
                                     admin_token](const httplib::Request& req,
                                                  httplib::Response& res) {
    if (!admitted(req, res, admin_token))
      return;
    auto name = req.matches[1].str();
    if (!std::regex_match(name, model_name_pattern))
      return reply_error(res, error_code::invalid_request,
                         "a model name is 1 to 64 letters, digits, '_', '.' "
                         "or '-'");
    std::string table;
    try {
      table = model_table_of(name, req.body);
    } catch (const std::exception& e) {
      return reply_error(res, error_code::invalid_request, e.what());
    }
    ask_admin(
        sys, admin, res,
        [&](done_atom) {
          res.status = 201;
          res.set_content(json{{"loaded", name}}.dump(), json_type);
        },
        caf::put_atom::value, name, table);
  });
  server.Delete(R"(/models/([^/]+))", [&sys, admin,
                                       admin_token](const httplib::Request& req,
                                                    httplib::Response& res) {
    if (!admitted(req, res, admin_token))
      return;
    auto name = req.matches[1].str();
    ask_admin(
        sys, admin, res,
        [&](bool unloaded) {
          if (unloaded) {
            res.set_content(json{{"unloaded", name}}.dump(), json_type);
            return;
          }
          res.status = 404;
          res.set_content(json{{"error", "no model " + name},
                               {"errorCode", "INVALID_REQUEST"}}
                              .dump(),
                          json_type);
        },
        caf::delete_atom::value, name);
  });
}

} // namespace parley
