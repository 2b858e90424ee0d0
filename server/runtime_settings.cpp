// Settings a configuration reload changes while serving: the routes and the
// capacities of the caches (see server/config_reload).

#include "server/runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

namespace parley {

namespace {

/// Asks `target` and waits for its `done`; false on an error or after
/// `timeout`.
template <class Handle, class... Ts>
bool confirmed(caf::actor_system& sys, const Handle& target,
               caf::timespan timeout, Ts&&... xs) {
  caf::scoped_actor self{sys};
  bool done = false;
  self->request(target, timeout, std::forward<Ts>(xs)...)
      .receive([&](done_atom) { done = true; }, [](caf::error&) {});
  return done;
}

} // namespace

route_table runtime::routes() const {
  std::lock_guard<std::mutex> guard{models_mutex_};
  return routes_;
}

bool runtime::apply_routes(route_table routes, caf::timespan timeout) {
  if (!confirmed(sys_, router_, timeout, routes_atom::value, routes))
    return false;
  std::lock_guard<std::mutex> guard{models_mutex_};
  routes_ = std::move(routes);
  return true;
}

bool runtime::apply_cache_capacities(size_t translations, size_t audio,
                                     caf::timespan timeout) {
  bool done = confirmed(sys_, cache_, timeout, capacity_atom::value,
                        static_cast<uint64_t>(translations));
  if (audio_cache_)
    done = confirmed(sys_, audio_cache_, timeout, capacity_atom::value,
                     static_cast<uint64_t>(audio))
           && done;
  return done;
}

} // namespace parley
