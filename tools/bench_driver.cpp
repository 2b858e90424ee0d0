// A driver actor keeps a fixed number of requests in flight and records the
// latency of each from send to `translation_done`.

#include "tools/bench_driver.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/error_code.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

/// Numbers new texts across rounds, so a miss is a miss in every round.
std::atomic<uint64_t> next_unique{0};

/// Differs between runs: texts new to this run are new to a Redis that
/// earlier runs filled.
const std::string& run_nonce() {
  static const std::string nonce = std::to_string(std::random_device{}());
  return nonce;
}

struct driver_state {
  router_actor router;
  translate_request prototype;
  /// See drive_requests.
  size_t text_pool = 0;
  size_t total = 0;
  size_t sent = 0;
  size_t done = 0;
  std::vector<clock_type::time_point> started;
  std::shared_ptr<round_result> result;
  std::shared_ptr<std::promise<void>> finished;
  clock_type::time_point begin;

  static inline const char* name = "bench_driver";
};

using driver_pointer = translation_sink::stateful_pointer<driver_state>;

void send_next(driver_pointer self) {
  auto& st = self->state;
  auto request = st.prototype;
  request.id = st.sent++;
  if (st.text_pool == unique_texts)
    request.text += " #" + run_nonce() + "-" + std::to_string(next_unique++);
  else if (st.text_pool > 0)
    request.text += " @" + std::to_string(request.id % st.text_pool);
  st.started[request.id] = clock_type::now();
  self->send(st.router, std::move(request),
             caf::actor_cast<translation_sink>(self));
}

translation_sink::behavior_type
driver(driver_pointer self, router_actor router, translate_request prototype,
       size_t total, size_t concurrency, std::shared_ptr<round_result> result,
       std::shared_ptr<std::promise<void>> finished, size_t text_pool) {
  auto& st = self->state;
  st.router = router;
  st.text_pool = text_pool;
  st.prototype = std::move(prototype);
  st.total = total;
  st.started.resize(total);
  st.result = result;
  st.finished = finished;
  st.result->latencies_us.reserve(total);
  st.begin = clock_type::now();
  for (size_t i = 0; i < std::min(concurrency, total); ++i)
    send_next(self);
  return {
      [](const translation&) {},
      [self](const translation_failure&) { ++self->state.result->failures; },
      [self](const translation_done& done) {
        auto& st = self->state;
        auto now = clock_type::now();
        st.result->latencies_us.push_back(
            std::chrono::duration<double, std::micro>(
                now - st.started[done.request_id])
                .count());
        if (++st.done == st.total) {
          st.result->seconds =
              std::chrono::duration<double>(now - st.begin).count();
          st.finished->set_value();
          self->quit();
          return;
        }
        if (st.sent < st.total)
          send_next(self);
      },
  };
}

} // namespace

bool warm_up(caf::actor_system& sys, const router_actor& router,
             const translate_request& prototype) {
  caf::scoped_actor self{sys};
  self->send(router, prototype, caf::actor_cast<translation_sink>(self.ptr()));
  bool ok = true;
  bool finished = false;
  self->receive_while([&] { return !finished; })(
      [](translation&) {},
      [&](translation_failure& failure) {
        std::cerr << "parley bench: warm-up failed: "
                  << explanation_of(failure.reason) << '\n';
        ok = false;
      },
      [&](translation_done&) { finished = true; });
  return ok;
}

round_result drive_requests(caf::actor_system& sys, const router_actor& router,
                            const translate_request& prototype, size_t total,
                            size_t concurrency, size_t text_pool) {
  auto result = std::make_shared<round_result>();
  auto finished = std::make_shared<std::promise<void>>();
  auto done = finished->get_future();
  sys.spawn(driver, router, prototype, total, concurrency, result, finished,
            text_pool);
  done.wait();
  return *result;
}

} // namespace parley
