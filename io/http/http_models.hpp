#pragma once

#include <chrono>
#include <string>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"

namespace httplib {
class Server;
}

namespace parley {

/// The model admin API, guarded by `admin_token` (sent as
/// `Authorization: Bearer TOKEN`; without a configured token the API is off):
/// - `GET /models`: every model with its kind, task, local replicas, queue,
///   in-flight jobs and replicas per node;
/// - `POST /models/{name}` with a model table as JSON (the keys of
///   `[models.NAME]`): loads it while serving;
/// - `DELETE /models/{name}`: stops taking work for it, finishes its queue,
///   then unloads it.
/// Each asks the admin actor and waits for its one reply; `status_timeout`
/// bounds how long it waits for each pool's status.
void install_model_routes(httplib::Server& server, caf::actor_system& sys,
                          admin_actor admin,
                          std::chrono::milliseconds status_timeout,
                          std::string admin_token);

} // namespace parley
