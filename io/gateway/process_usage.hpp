#pragma once

// What this process uses, read from /proc/self in the kernel's units and
// converted with the machine's own: clock ticks per second and page size
// from sysconf.

namespace parley {

/// CPU seconds, user and system, this process has used
/// (/proc/self/stat); 0 when it cannot be read.
double process_cpu_seconds();

/// Resident memory of this process in MiB (/proc/self/statm); 0 when it
/// cannot be read.
double process_resident_mb();

} // namespace parley
