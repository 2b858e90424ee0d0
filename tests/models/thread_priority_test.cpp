#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include <catch2/catch.hpp>

#include "models/thread_priority.hpp"

namespace {

struct priority {
  int nice = 0;
  int policy = 0;
};

priority of_this_thread() {
  auto thread = static_cast<id_t>(syscall(SYS_gettid));
  return {getpriority(PRIO_PROCESS, thread), sched_getscheduler(0)};
}

/// Runs `body` on a fresh thread, so the test's own thread keeps its priority.
template <class Body> void on_own_thread(Body body) {
  std::thread{body}.join();
}

} // namespace

TEST_CASE("a model thread lowers its own priority and its workers inherit it",
          "[models]") {
  auto before = of_this_thread();
  on_own_thread([] {
    REQUIRE(parley::lower_thread_priority(10));
    auto lowered = of_this_thread();
    CHECK(lowered.nice == 10);
    CHECK(lowered.policy == SCHED_OTHER);
    priority worker;
    std::thread{[&] { worker = of_this_thread(); }}.join();
    CHECK(worker.nice == 10);
  });
  on_own_thread([] {
    REQUIRE(parley::lower_thread_priority(19));
    auto idle = of_this_thread();
    CHECK(idle.nice == 19);
    CHECK(idle.policy == SCHED_IDLE);
    priority worker;
    std::thread{[&] { worker = of_this_thread(); }}.join();
    CHECK(worker.policy == SCHED_IDLE);
  });
  on_own_thread([] {
    REQUIRE(parley::lower_thread_priority(0));
    CHECK(of_this_thread().nice == 0);
  });
  // Other threads are untouched.
  CHECK(of_this_thread().nice == before.nice);
  CHECK(of_this_thread().policy == before.policy);
}
