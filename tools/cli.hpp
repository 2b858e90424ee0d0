#pragma once

// What `parley` and `parleyd` share on top of CLI11: the help layout, the
// exit statuses, and the kinds of option they use most.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace parley {

/// Exit status of a command line that does not parse (an unknown option, a
/// missing or malformed value).
constexpr int usage_error_status = 2;

/// Prepares `app` before its options and subcommands are declared (they
/// inherit this): descriptions wrapped to 80 columns, a repeated
/// single-value option keeps its last value, and `--version` prints
/// `version`.
void setup_command_line(CLI::App& app, const std::string& version);

/// Makes `action` what `command` runs once its command line is parsed; its
/// result is the exit status of the process.
void set_action(CLI::App& command, std::function<int()> action);

/// Parses `argv` and runs the action of the command it names; returns the
/// exit status. `--help` and `--version` print on standard output and
/// return 0; a usage error names the culprit on standard error and returns
/// `usage_error_status`.
int run_command_line(CLI::App& app, int argc, char** argv);

/// `--parleyd PATH`: the binary of the parleyd a benchmark starts; empty
/// `path` means the one beside parley.
CLI::Option* add_parleyd_option(CLI::App& command, std::string& path);

/// `--NAME VALUE`, one value per occurrence, repeatable (`--to es --to fr`);
/// `values` keeps every value, in order.
CLI::Option* add_repeated(CLI::App& command, const std::string& name,
                          std::vector<std::string>& values,
                          const std::string& description);

/// `--NAME N`: a non-negative whole number; its default shows in the help.
CLI::Option* add_count(CLI::App& command, const std::string& name,
                       size_t& value, const std::string& description);

/// `--NAME N` without a fixed default (`description` says what an unset
/// `value` means).
CLI::Option* add_count(CLI::App& command, const std::string& name,
                       std::optional<size_t>& value,
                       const std::string& description);

/// `--log-level LEVEL`, an spdlog level name; `level` holds the default.
CLI::Option* add_log_level(CLI::App& command, std::string& level);

} // namespace parley
