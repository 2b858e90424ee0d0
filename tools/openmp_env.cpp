#include "tools/openmp_env.hpp"

#include <cstdlib>
#include <unistd.h>

namespace parley {

void ensure_passive_openmp(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr)
    return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);
  // exec failed: run on with the default policy.
}

} // namespace parley
