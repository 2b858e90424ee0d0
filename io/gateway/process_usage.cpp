#include "io/gateway/process_usage.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <unistd.h>

namespace parley {

double process_cpu_seconds() {
  std::ifstream stat{"/proc/self/stat"};
  std::string line{std::istreambuf_iterator<char>{stat},
                   std::istreambuf_iterator<char>{}};
  // Field 2, the command name, is in parentheses and may hold spaces: count
  // the fields after its closing one, which is field 3 (state).
  auto name_end = line.rfind(')');
  auto ticks_per_second = sysconf(_SC_CLK_TCK);
  if (name_end == std::string::npos || ticks_per_second <= 0)
    return 0;
  std::istringstream fields{line.substr(name_end + 1)};
  std::string field;
  double ticks = 0;
  // utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15)
      ticks += std::stod(field);
  return ticks / static_cast<double>(ticks_per_second);
}

double process_resident_mb() {
  std::ifstream statm{"/proc/self/statm"};
  double pages = 0;
  // Total program size, then resident pages.
  statm >> pages >> pages;
  auto page_bytes = sysconf(_SC_PAGESIZE);
  if (!statm || page_bytes <= 0)
    return 0;
  return pages * static_cast<double>(page_bytes) / (1024.0 * 1024.0);
}

} // namespace parley
