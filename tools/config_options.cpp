// `--config FILE` and `--set KEY=VALUE` (see config_options.hpp).

#include "tools/config_options.hpp"

#include "tools/cli.hpp"

namespace parley {

void add_config_options(CLI::App& command, config_options& options) {
  command
      .add_option("--config", options.file,
                  "TOML configuration (default: "
                  "the embedded defaults)")
      ->type_name("FILE");
  add_repeated(command, "--set", options.overrides,
               "override one setting, e.g. --set cache.capacity=5000; may "
               "repeat")
      ->type_name("KEY=VALUE");
}

server_config load_config(const config_options& options) {
  return options.file ? load_config_file(*options.file, options.overrides)
                      : parse_config("", options.overrides);
}

} // namespace parley
