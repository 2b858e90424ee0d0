#pragma once

// parleyd's command line: its options and their help, and the configuration
// they make with the environment variables of the service Parley replaces.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "server/config_file.hpp"
#include "tools/config_options.hpp"

namespace parley {

/// What parleyd was asked.
struct parleyd_options {
  /// "front" (everything in one process) or "worker" (model replicas only).
  std::string role = "front";
  /// `--config` and `--set`.
  config_options config;
  /// `KEY=VALUE` settings of the dedicated options (`--pull-port 5555` is
  /// `gateway.pull_port=5555`), in the order of their declarations.
  std::vector<std::string> settings;
  /// `--check-config FILE`: check this file, as parleyd would read it at
  /// start, and exit.
  std::optional<std::string> check_config;
};

/// Declares parleyd's options on `app`, bound to `options`, with a help
/// footer on the environment variables.
void add_parleyd_options(CLI::App& app, parleyd_options& options);

/// The configuration: the file (or the defaults), then the environment, then
/// `--set` in order, then the dedicated options. Throws `config_error`
/// naming the culprit.
server_config load_parleyd_config(const parleyd_options& options);

} // namespace parley
