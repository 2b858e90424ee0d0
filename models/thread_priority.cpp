#include "models/thread_priority.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace parley {

bool lower_thread_priority(int nice) {
  if (nice <= 0)
    return true;
  // On Linux a thread id names one thread for setpriority; threads this one
  // starts later (libtorch's OpenMP workers) inherit its priority.
  auto thread = static_cast<id_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, thread, nice > 19 ? 19 : nice) != 0)
    return false;
  if (nice < 19)
    return true;
  // SCHED_IDLE: runs only on a core nothing else wants, and is preempted at
  // once when a normal thread wakes, unlike nice 19 which still gets a time
  // slice.
  sched_param param{};
  return sched_setscheduler(0, SCHED_IDLE, &param) == 0;
}

} // namespace parley
