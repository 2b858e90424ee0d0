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
#include "tools/bench_driver.hpp"
#include "tools/bench_stats.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

const std::vector<std::string> bench_languages
  = {"es", "fr", "de", "it", "pt", "ca", "nl", "sv"};

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
        return drive_requests(sys, rt.router(), prototype, requests,
                              concurrency);
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
