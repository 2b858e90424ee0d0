#pragma once

#include <chrono>
#include <string>

#include <caf/fwd.hpp>

#include "messages/telemetry.hpp"

namespace httplib {
class Server;
}

namespace parley {

/// The dashboard:
/// - `GET /dashboard`: one self-contained page (io/http/dashboard.html, no
///   data in it) that polls the summary every few seconds;
/// - `GET /dashboard/summary`: the admin actor's bounded summary as JSON
///   (io/http/dashboard_json.hpp). With an `admin_token` it answers 401
///   unless sent `Authorization: Bearer TOKEN`, as `/models` does.
/// The summary waits for one reply, which the admin actor delivers by
/// `status_timeout`.
void install_dashboard_routes(httplib::Server& server, caf::actor_system& sys,
                              dashboard_source dashboard,
                              std::chrono::milliseconds status_timeout,
                              std::string admin_token);

/// The page, embedded at build time from io/http/dashboard.html.
extern const char* const dashboard_page;

} // namespace parley
