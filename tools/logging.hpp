#pragma once

#include <string>

namespace parley {

/// Sends every log line to standard error at `level` (spdlog names: trace,
/// debug, info, warn, error, critical, off), so that standard output carries
/// only results. Throws `std::invalid_argument` for an unknown level.
void setup_logging(const std::string& level);

} // namespace parley
