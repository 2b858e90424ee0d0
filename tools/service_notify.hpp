#pragma once

// parleyd's word to systemd when it runs as a `Type=notify` service
// (packaging/parleyd.service): ready, reloading, stopping.

namespace parley {

/// Sends `state` (`READY=1`, `RELOADING=1`, `STOPPING=1`, `STATUS=...`) to
/// the service manager; does nothing outside systemd, where
/// `$NOTIFY_SOCKET` is unset.
void notify_service(const char* state);

} // namespace parley
