#include "io/http/http_dashboard.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <httplib.h>

#include "io/http/dashboard_json.hpp"
#include "io/http/http_errors.hpp"
#include "messages/error_code.hpp"
#include "messages/secret.hpp"

namespace parley {

namespace {

/// The page loads nothing from elsewhere, and asks only its own server.
constexpr const char* page_policy =
    "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

bool token_accepted(const httplib::Request& req, const std::string& token) {
  return token.empty()
         || secrets_equal(req.get_header_value("Authorization"),
                          "Bearer " + token);
}

} // namespace

void install_dashboard_routes(httplib::Server& server, caf::actor_system& sys,
                              dashboard_source dashboard,
                              std::chrono::milliseconds status_timeout,
                              std::string admin_token) {
  server.Get("/dashboard", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy", page_policy);
    res.set_header("Cache-Control", "no-store");
    res.set_content(dashboard_page, "text/html; charset=utf-8");
  });
  server.Get("/dashboard/summary", [&sys, dashboard, status_timeout,
                                    admin_token](const httplib::Request& req,
                                                 httplib::Response& res) {
    if (!token_accepted(req, admin_token))
      return reply_error(res, error_code::unauthorized,
                         "a wrong or missing admin token (Authorization: "
                         "Bearer ...)");
    if (!dashboard)
      return reply_error(res, error_code::feature_unavailable,
                         "this server has no dashboard");
    caf::scoped_actor self{sys};
    // The admin actor answers by the status timeout whatever its parts do.
    self->request(dashboard, caf::infinite, dashboard_atom::value,
                  caf::timespan{status_timeout})
        .receive(
            [&](dashboard_summary& summary) {
              res.set_header("Cache-Control", "no-store");
              res.set_content(dashboard_json(summary).dump(), json_type);
            },
            [&](caf::error& err) { reply_error(res, err); });
  });
}

} // namespace parley
