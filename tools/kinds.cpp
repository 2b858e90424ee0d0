// `parley kinds`: prints the model kinds and their option keys, from their
// declarations.

#include <iostream>

#include "tools/commands.hpp"
#include "tools/kind_reference.hpp"

namespace parley {

int run_kinds(int argc, char**) {
  if (argc != 2) {
    std::cerr << "usage: parley kinds\n";
    return 2;
  }
  std::cout << kind_reference(backend_registry::builtin());
  return 0;
}

} // namespace parley
