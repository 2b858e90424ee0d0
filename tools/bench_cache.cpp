// `parley bench cache`: the in-process cache-hit path, end to end through
// router → handler → cache → answer. A driver actor keeps a fixed number of
// requests in flight, all for one cached text in N languages, and records the
// latency of each from send to `translation_done`.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include "io/redis/redis_tier.hpp"
#include "messages/error_code.hpp"
#include "messages/translation.hpp"
#include "server/config_file.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/bench_driver.hpp"
#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

const std::vector<std::string> bench_languages = {"es", "fr", "de", "it",
                                                  "pt", "ca", "nl", "sv"};

/// What `parley bench cache` was asked. The unset counts default to
/// different values with and without `--redis`.
struct bench_cache_options {
  std::optional<size_t> requests;
  size_t concurrency = 4;
  std::optional<size_t> languages;
  std::optional<size_t> rounds;
  /// Scheduler threads; 0 picks half the cores.
  size_t threads = 0;
  std::string scheduler = scheduler_settings{}.policy;
  std::string log_level = "warn";
  /// The Redis of the shared tier; empty: the local cache alone.
  std::optional<std::string> redis;
  /// With `--redis`: the distinct texts the hit paths cycle through.
  size_t texts = 1000;
};

/// One set-up of `bench cache --redis`: a runtime, and whether its
/// requests repeat one text or send new ones.
struct redis_setup {
  const char* name;
  bool with_redis;
  /// Local tier entries: 0 sends every lookup on to Redis.
  size_t local_capacity;
  /// Distinct texts sent (see drive_requests' text_pool).
  size_t pool;
};

round_medians run_setup(const redis_setup& setup, const std::string& url,
                        const translate_request& prototype, size_t requests,
                        size_t concurrency, size_t rounds,
                        const scheduler_settings& scheduler) {
  auto cfg = parse_config("[models.bench]\nkind = \"echo\"\n");
  cfg.runtime.cache_capacity = setup.local_capacity;
  system_config sys_cfg{scheduler};
  caf::actor_system sys{sys_cfg};
  redis_tier_actor shared;
  if (setup.with_redis) {
    redis_tier_config tier;
    tier.url = url;
    shared = spawn_redis_tier(sys, tier);
  }
  runtime rt{sys, cfg.runtime, backend_registry::builtin(), {}, shared};
  rt.wait_until_ready(std::chrono::seconds(30));
  for (int i = 0; i < 200 && setup.with_redis
                  && rt.current_metrics().values["redis_up"] < 1;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (setup.pool != unique_texts) {
    // Fill the tiers with every text of the pool, and let the background
    // writes land.
    drive_requests(sys, rt.router(), prototype, setup.pool, concurrency,
                   setup.pool);
    for (int i = 0; i < 500 && setup.with_redis
                    && rt.current_metrics().values["redis_pending_writes"] > 0;
         ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto before = rt.current_metrics().values;
  std::printf("\n%s\n", setup.name);
  auto medians = print_rounds(
      rounds,
      [&] {
        return drive_requests(sys, rt.router(), prototype, requests,
                              concurrency, setup.pool);
      },
      "requests/s");
  auto counters = rt.current_metrics().values;
  for (auto& [name, value] : counters)
    value -= before[name];
  if (setup.with_redis)
    std::printf("redis: %.0f hits, %.0f misses, %.0f timeouts, %.0f errors, "
                "%.0f writes\n",
                counters["redis_hits_total{kind=\"text\"}"],
                counters["redis_misses_total{kind=\"text\"}"],
                counters["redis_timeouts_total"],
                counters["redis_errors_total"], counters["redis_writes_total"]);
  rt.shutdown(std::chrono::seconds(1));
  return medians;
}

/// `bench cache --redis URL`: the hit and miss paths with and without the
/// shared tier, side by side in one run.
int run_bench_cache_redis(const bench_cache_options& options) {
  const auto& url = *options.redis;
  auto requests = options.requests.value_or(20000);
  auto concurrency = std::max<size_t>(options.concurrency, 1);
  auto languages = std::clamp<size_t>(options.languages.value_or(1), 1,
                                      bench_languages.size());
  auto rounds = std::max<size_t>(options.rounds.value_or(3), 1);
  scheduler_settings scheduler;
  scheduler.threads = options.threads;
  scheduler.policy = options.scheduler;
  translate_request prototype;
  prototype.source_lang = "en";
  prototype.target_langs.assign(bench_languages.begin(),
                                bench_languages.begin() + languages);
  prototype.text = "The quick brown fox jumps over the lazy dog.";
  std::printf(
      "parley bench cache --redis %s: %zu requests x %zu rounds, %zu in "
      "flight, %zu languages each, echo model; hits cycle through "
      "%zu texts\n",
      url.c_str(), requests, rounds, concurrency, languages,
      std::max<size_t>(options.texts, concurrency));
  auto pool = std::max<size_t>(options.texts, concurrency);
  const redis_setup setups[] = {
      {"local hit (Redis configured)", true, 100000, pool},
      {"Redis hit (local tier off)", true, 0, pool},
      {"miss, no Redis", false, 100000, unique_texts},
      {"miss, Redis configured (lookup, lock, background write)", true, 100000,
       unique_texts},
  };
  std::vector<round_medians> results;
  for (const auto& setup : setups)
    results.push_back(run_setup(setup, url, prototype, requests, concurrency,
                                rounds, scheduler));
  std::printf("\n%-58s %12s %9s %9s\n", "path (medians)", "requests/s",
              "p99 us", "ratio");
  auto row = [&](size_t i, size_t base) {
    std::printf("%-58s %12.0f %9.1f %8.2fx\n", setups[i].name,
                results[i].throughput, results[i].p99_us,
                results[i].throughput / results[base].throughput);
  };
  row(0, 0);
  row(1, 0);
  row(2, 2);
  row(3, 2);
  std::printf("(ratio: throughput against the first row of its pair)\n");
  return 0;
}

int run_bench_cache(const bench_cache_options& options) {
  try {
    if (options.redis) {
      setup_logging(options.log_level);
      return run_bench_cache_redis(options);
    }
    auto requests = options.requests.value_or(200000);
    auto concurrency = std::max<size_t>(options.concurrency, 1);
    auto languages = std::clamp<size_t>(options.languages.value_or(3), 1,
                                        bench_languages.size());
    auto rounds = std::max<size_t>(options.rounds.value_or(5), 1);
    setup_logging(options.log_level);
    // The model only fills the cache once; `echo` keeps that step free of
    // any engine so the run measures the runtime alone.
    auto cfg = parse_config("[models.bench]\nkind = \"echo\"\n");
    scheduler_settings scheduler;
    scheduler.threads = options.threads;
    scheduler.policy = options.scheduler;
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

} // namespace

void add_bench_cache_command(CLI::App& bench) {
  auto options = std::make_shared<bench_cache_options>();
  auto* command = bench.add_subcommand(
      "cache", "time the in-process cache-hit path; with --redis, the "
               "local-hit, Redis-hit and miss paths with and without Redis, "
               "side by side");
  add_count(*command, "--requests", options->requests,
            "requests per round (default 200000; 20000 with --redis)");
  add_count(*command, "--concurrency", options->concurrency,
            "requests in flight");
  add_count(*command, "--languages", options->languages,
            "target languages per request, 1 to 8 (default 3; 1 with "
            "--redis)");
  add_count(*command, "--rounds", options->rounds,
            "timed rounds (default 5; 3 with --redis)");
  add_count(*command, "--threads", options->threads,
            "actor scheduler threads (0: half the cores)");
  command->add_option("--scheduler", options->scheduler, "sharing or stealing")
      ->type_name("POLICY")
      ->capture_default_str();
  command
      ->add_option("--redis", options->redis,
                   "also time the shared Redis tier at URL")
      ->type_name("URL");
  add_count(*command, "--texts", options->texts,
            "with --redis: the distinct texts the hit paths cycle through");
  add_log_level(*command, options->log_level);
  set_action(*command, [options] { return run_bench_cache(*options); });
}

} // namespace parley
