#include "io/system_config.hpp"

#include "messages/registration.hpp"

namespace parley {

system_config::system_config(size_t threads) {
  register_message_types(*this);
  if (threads > 0)
    set("scheduler.max-threads", threads);
}

} // namespace parley
