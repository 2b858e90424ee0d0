#include "server/system_config.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "messages/registration.hpp"

namespace parley {

system_config::system_config(const scheduler_settings& scheduler) {
  register_message_types(*this);
  if (scheduler.policy != "sharing" && scheduler.policy != "stealing")
    throw std::invalid_argument("unknown scheduler policy '" + scheduler.policy
                                + "' (use sharing or stealing)");
  set("scheduler.policy", caf::atom_from_string(scheduler.policy));
  auto threads = scheduler.threads;
  if (threads == 0)
    threads = std::max<size_t>(std::thread::hardware_concurrency() / 2, 1);
  set("scheduler.max-threads", threads);
}

} // namespace parley
