// `parley kinds`: prints the model kinds and their option keys, from their
// declarations.

#include <iostream>

#include <CLI/CLI.hpp>

#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/kind_reference.hpp"

namespace parley {

void add_kinds_command(CLI::App& parley) {
  auto* command = parley.add_subcommand(
      "kinds", "print the model kinds and the option keys of each (Markdown, "
               "as in docs/models.md)");
  set_action(*command, [] {
    std::cout << kind_reference(backend_registry::builtin());
    return 0;
  });
}

} // namespace parley
