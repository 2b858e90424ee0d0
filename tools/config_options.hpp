#pragma once

// `--config FILE` and `--set KEY=VALUE`: the configuration options that
// parleyd and the in-process commands of `parley` share.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "server/config_file.hpp"

namespace parley {

/// Where a command's configuration comes from.
struct config_options {
  /// The TOML file; without one, the embedded defaults.
  std::optional<std::string> file;
  /// `KEY=VALUE` settings applied over the file, in order.
  std::vector<std::string> overrides;
};

/// Declares `--config FILE` and the repeatable `--set KEY=VALUE` on
/// `command`, bound to `options`.
void add_config_options(CLI::App& command, config_options& options);

/// The configuration `options` name: the file (or the defaults), then the
/// overrides in order. Throws `config_error` naming the culprit.
server_config load_config(const config_options& options);

} // namespace parley
