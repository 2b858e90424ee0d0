#pragma once

#include <string>

#include "server/runtime.hpp"

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
void install_model_routes(httplib::Server& server, runtime& rt,
                          std::string admin_token);

} // namespace parley
