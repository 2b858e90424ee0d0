// `parley bench cache`: the in-process cache-hit path, end to end through
// router → handler → cache → answer. A driver actor keeps a fixed number of
// requests in flight, all for one cached text in N languages, and records the
// latency of each from send to `translation_done`.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <iostream>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/runtime.hpp"
#include "io/config_file.hpp"
#include "io/system_config.hpp"
#include "messages/error_code.hpp"
#include "messages/translation.hpp"
#include "tools/arguments.hpp"
#include "tools/bench_stats.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

const std::vector<std::string> bench_languages
  = {"es", "fr", "de", "it", "pt", "ca", "nl", "sv"};

struct driver_state {
  router_actor router;
  translate_request prototype;
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
  st.started[request.id] = clock_type::now();
  self->send(st.router, std::move(request),
             caf::actor_cast<translation_sink>(self));
}

translation_sink::behavior_type driver(driver_pointer self,
                                       router_actor router,
                                       translate_request prototype,
                                       size_t total, size_t concurrency,
                                       std::shared_ptr<round_result> result,
                                       std::shared_ptr<std::promise<void>> finished) {
  auto& st = self->state;
  st.router = router;
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
        std::chrono::duration<double, std::micro>(now - st.started[done.request_id])
          .count());
      if (++st.done == st.total) {
        st.result->seconds
          = std::chrono::duration<double>(now - st.begin).count();
        st.finished->set_value();
        self->quit();
        return;
      }
      if (st.sent < st.total)
        send_next(self);
    },
  };
}

/// Sends one request and waits for it: fills the cache before timing.
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

} // namespace

int run_bench_cache(int argc, char** argv) {
  try {
    arguments args{argc, argv, 3};
    args.expect_only({"requests", "concurrency", "languages", "rounds",
                      "threads", "scheduler", "log-level"});
    auto requests = args.get_size("requests", 200000);
    auto concurrency = std::max<size_t>(args.get_size("concurrency", 4), 1);
    auto languages = std::clamp<size_t>(args.get_size("languages", 3), 1,
                                        bench_languages.size());
    auto rounds = std::max<size_t>(args.get_size("rounds", 5), 1);
    setup_logging(args.get("log-level", "warn"));
    // The model only fills the cache once; `echo` keeps that step free of
    // any engine so the run measures the runtime alone.
    auto cfg = parse_config("[models.bench]\nkind = \"echo\"\n");
    scheduler_settings scheduler;
    scheduler.threads = args.get_size("threads", 0);
    scheduler.policy = args.get("scheduler", scheduler.policy);
    system_config sys_cfg{scheduler};
    caf::actor_system sys{sys_cfg};
    runtime rt{sys, cfg.runtime, backend_registry::builtin()};
    rt.wait_until_ready(std::chrono::seconds(30));
    translate_request prototype;
    prototype.source_lang = "en";
    prototype.target_langs.assign(bench_languages.begin(),
                                  bench_languages.begin() + languages);
    prototype.text = "The quick brown fox jumps over the lazy dog.";
    if (!warm_up(sys, rt.router(), prototype))
      return 1;
    std::printf("parley bench cache: %zu requests x %zu rounds, %zu in flight, "
                "%zu languages each, %zu %s scheduler threads\n",
                requests, rounds, concurrency, languages,
                sys.scheduler().num_workers(), scheduler.policy.c_str());
    print_rounds(
      rounds,
      [&] {
        auto result = std::make_shared<round_result>();
        auto finished = std::make_shared<std::promise<void>>();
        auto done = finished->get_future();
        sys.spawn(driver, rt.router(), prototype, requests, concurrency,
                  result, finished);
        done.wait();
        return *result;
      },
      "requests/s");
    rt.shutdown(std::chrono::seconds(1));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace parley
