#include "io/redis/redis_worker.hpp"

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/redis.hpp"

namespace parley {

redis_worker_actor spawn_redis_worker(caf::actor_system& sys,
                                      redis_endpoint endpoint,
                                      std::chrono::milliseconds connect_timeout,
                                      std::chrono::milliseconds io_timeout) {
  auto connection = std::make_shared<redis_connection>(
      std::move(endpoint), connect_timeout, io_timeout);
  return sys.spawn<caf::detached>([connection](redis_worker_actor::pointer)
                                      -> redis_worker_actor::behavior_type {
    return {
        [connection](run_atom, const redis_commands& commands) {
          return connection->pipeline(commands.argv);
        },
        [connection](connect_atom) {
          redis_replies result;
          result.error = connection->connect();
          return result;
        },
    };
  });
}

} // namespace parley
