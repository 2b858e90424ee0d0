#include "tools/service_notify.hpp"

#include <systemd/sd-daemon.h>

namespace parley {

void notify_service(const char* state) {
  // A failure to tell systemd must not stop the server: systemd then acts
  // on its own timeouts.
  sd_notify(/*unset_environment=*/0, state);
}

} // namespace parley
