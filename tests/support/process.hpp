#pragma once

// Runs Parley's executables from tests, as a user would.

#include <string>

#include "tools/subprocess.hpp"

namespace parley::test {

using parley::child_process;
using parley::command_result;
using parley::run_command;

/// Path of a binary in the build's bin directory.
inline std::string bin_path(const std::string& name) {
  return std::string{PARLEY_BIN_DIR} + "/" + name;
}

} // namespace parley::test
