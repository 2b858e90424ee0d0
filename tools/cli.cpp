// The help layout and exit statuses of `parley` and `parleyd` (see cli.hpp).

#include "tools/cli.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

namespace parley {

namespace {

/// Width of the help text, and of the column of option names in it.
constexpr size_t help_width = 80;
constexpr size_t name_width = 30;

/// `text` with each of its lines longer than `width` characters broken at
/// spaces (a longer word keeps its own line). Shorter lines, tables
/// included, are left as they are.
std::string wrap(const std::string& text, size_t width) {
  std::string out;
  std::istringstream lines{text};
  bool first_line = true;
  for (std::string line; std::getline(lines, line);) {
    if (!std::exchange(first_line, false))
      out += '\n';
    if (line.size() <= width) {
      out += line;
      continue;
    }
    std::istringstream words{line};
    size_t used = 0;
    for (std::string word; words >> word;) {
      if (used > 0 && used + 1 + word.size() > width) {
        out += '\n';
        used = 0;
      } else if (used > 0) {
        out += ' ';
        ++used;
      }
      out += word;
      used += word.size();
    }
  }
  if (!text.empty() && text.back() == '\n')
    out += '\n';
  return out;
}

/// A whole number in decimal digits (no sign).
std::string check_whole_number(const std::string& text) {
  bool digits = !text.empty()
                && std::all_of(text.begin(), text.end(),
                               [](char c) { return c >= '0' && c <= '9'; });
  return digits ? std::string{} : "needs a number, not '" + text + "'";
}

/// CLI11's help with every description wrapped to the help's width.
class wrapping_formatter : public CLI::Formatter {
public:
  wrapping_formatter() {
    column_width(name_width);
  }

  std::string make_description(const CLI::App* app) const override {
    return wrap(CLI::Formatter::make_description(app), help_width);
  }

  std::string make_option_desc(const CLI::Option* option) const override {
    return wrap(CLI::Formatter::make_option_desc(option),
                help_width - name_width);
  }

  std::string make_footer(const CLI::App* app) const override {
    return wrap(CLI::Formatter::make_footer(app), help_width);
  }

  std::string make_subcommand(const CLI::App* command) const override {
    std::ostringstream out;
    CLI::detail::format_help(
        out, command->get_display_name(true),
        wrap(command->get_description(), help_width - name_width), name_width);
    return out.str();
  }
};

} // namespace

void setup_command_line(CLI::App& app, const std::string& version) {
  app.formatter(std::make_shared<wrapping_formatter>());
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.set_version_flag("--version", version);
}

void set_action(CLI::App& command, std::function<int()> action) {
  // CLI11's way out of a callback with an exit status: run_command_line
  // catches the RuntimeError and returns its code.
  command.callback(
      [action = std::move(action)] { throw CLI::RuntimeError(action()); });
}

int run_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::RuntimeError& ran) {
    return ran.get_exit_code();
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0)
      return app.exit(error);
    // CLI11 checks for missing options and commands before it reports
    // arguments it did not expect; an unknown option (or command) is the
    // likelier mistake, so it is named first.
    if (auto unexpected = app.remaining(true); !unexpected.empty())
      app.exit(CLI::ExtrasError(unexpected));
    else
      app.exit(error);
    return usage_error_status;
  }
}

CLI::Option* add_parleyd_option(CLI::App& command, std::string& path) {
  return command
      .add_option("--parleyd", path,
                  "the own parleyd's binary (default: the one beside parley)")
      ->type_name("PATH");
}

CLI::Option* add_repeated(CLI::App& command, const std::string& name,
                          std::vector<std::string>& values,
                          const std::string& description) {
  return command.add_option(name, values, description)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

CLI::Option* add_count(CLI::App& command, const std::string& name,
                       size_t& value, const std::string& description) {
  return command.add_option(name, value, description)
      ->check(CLI::Validator(check_whole_number, ""))
      ->type_name("N")
      ->capture_default_str();
}

CLI::Option* add_count(CLI::App& command, const std::string& name,
                       std::optional<size_t>& value,
                       const std::string& description) {
  return command.add_option(name, value, description)
      ->check(CLI::Validator(check_whole_number, ""))
      ->type_name("N");
}

CLI::Option* add_log_level(CLI::App& command, std::string& level) {
  return command
      .add_option("--log-level", level,
                  "trace, debug, info, warn, error, critical or off")
      ->type_name("LEVEL")
      ->capture_default_str();
}

} // namespace parley
