// `parley bench pool`: what the pool's batching buys. Translation throughput
// and p50/p99 latency with 1, 4, 16 and 64 concurrent clients, with batching
// on (`max_batch` N) and off (`max_batch` 1) side by side in one run, on
// Apertium and, given a checkpoint, on NLLB (the `nllb-600m` shape of
// `parley make-checkpoint`). Both set-ups are models of one runtime over the
// same engine; every request carries a new text, so the cache never answers
// and every figure is the engine's work.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>

#include "server/config_file.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/bench_compute.hpp"
#include "tools/bench_driver.hpp"
#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

/// What `parley bench pool` was asked.
struct bench_pool_options {
  /// An NLLB checkpoint; unset: Apertium only.
  std::optional<std::string> checkpoint;
  bool no_apertium = false;
  /// Client counts (requests in flight).
  std::vector<size_t> clients = {1, 4, 16, 64};
  /// The batching-on model's `max_batch`.
  size_t max_batch = 16;
  /// Requests per client in one measurement (at least `min_requests`);
  /// unset: the engine's own (see engine_of).
  std::optional<size_t> requests_per_client;
  std::optional<size_t> min_requests;
  size_t rounds = 1;
  /// NLLB: tokens decoded per request (fixed: random weights rarely end).
  size_t new_tokens = 16;
  std::string compute_type = "auto";
  size_t threads = 2;
  std::string log_level = "warn";
};

/// One engine under test: its model table (two models, `batched` and
/// `single`, over the same engine) and a request it translates.
struct engine_setup {
  std::string name;
  std::string config;
  translate_request prototype;
  /// Requests of one measurement: this many per client, at least `minimum`.
  size_t per_client = 0;
  size_t minimum = 0;
};

/// The `[models.NAME]` table of one set-up; `engine` holds the kind's own
/// keys.
std::string model_table(const std::string& name, const std::string& engine,
                        size_t max_batch) {
  return "[models." + name + "]\n" + engine
         + "max_batch = " + std::to_string(max_batch) + "\n";
}

/// `fast` engines (Apertium: milliseconds a request) need many more
/// requests per measurement than NLLB (a second) for a stable median.
engine_setup engine_of(const std::string& name, const std::string& engine,
                       bool fast, const bench_pool_options& options) {
  engine_setup setup;
  setup.name = name;
  setup.per_client = options.requests_per_client.value_or(fast ? 20 : 2);
  setup.minimum = options.min_requests.value_or(fast ? 400 : 8);
  setup.config = model_table("batched", engine, options.max_batch)
                 + model_table("single", engine, 1)
                 + "[routes]\ndefault = \"batched\"\n";
  setup.prototype.source_lang = "en";
  setup.prototype.target_langs = {name == "apertium" ? "es" : "fr"};
  setup.prototype.text =
      "The quick brown fox jumps over the lazy dog near the river.";
  return setup;
}

std::vector<engine_setup> engines_of(const bench_pool_options& options) {
  std::vector<engine_setup> engines;
  if (!options.no_apertium)
    engines.push_back(
        engine_of("apertium", "kind = \"apertium\"\n", true, options));
  if (options.checkpoint)
    engines.push_back(engine_of(
        "nllb",
        "kind = \"nllb\"\npath = \"" + *options.checkpoint
            + "\"\ncompute_type = \"" + options.compute_type
            + "\"\nthreads = " + std::to_string(options.threads)
            + "\nmax_new_tokens = " + std::to_string(options.new_tokens) + "\n",
        false, options));
  return engines;
}

/// The medians over rounds of one set-up at one client count.
struct measurement {
  std::vector<double> throughput;
  std::vector<double> p50_ms;
  std::vector<double> p99_ms;
  uint64_t failures = 0;

  void add(const round_result& round) {
    throughput.push_back(round.latencies_us.size() / round.seconds);
    p50_ms.push_back(percentile(round.latencies_us, 50) / 1e3);
    p99_ms.push_back(percentile(round.latencies_us, 99) / 1e3);
    failures += round.failures;
  }
};

void print_row(const std::string& engine, size_t clients, const char* batching,
               const measurement& m) {
  std::printf("%-9s %8zu  %-9s %12.2f %10.1f %10.1f %9llu\n", engine.c_str(),
              clients, batching, percentile(m.throughput, 50),
              percentile(m.p50_ms, 50), percentile(m.p99_ms, 50),
              static_cast<unsigned long long>(m.failures));
}

/// Times one engine at every client count, batching on and off in
/// alternating order within each round, and prints the rows and ratios.
void bench_engine(const engine_setup& engine,
                  const bench_pool_options& options) {
  auto cfg = parse_config(engine.config);
  // At 64 clients and batch 1, NLLB's queue waits longer than the 120 s a
  // server gives a request: here every request must count.
  cfg.runtime.request_timeout = std::chrono::hours(1);
  system_config sys_cfg{cfg.scheduler};
  caf::actor_system sys{sys_cfg};
  runtime rt{sys, cfg.runtime, backend_registry::builtin()};
  rt.wait_until_ready(std::chrono::minutes(5));
  auto batched = engine.prototype;
  batched.model = "batched";
  auto single = engine.prototype;
  single.model = "single";
  for (const auto* prototype : {&batched, &single}) {
    // The first request of a model pays for its caches and threads.
    auto warm = *prototype;
    warm.text += " (warm-up)";
    if (!warm_up(sys, rt.router(), warm))
      throw std::runtime_error(engine.name + ": warm-up failed");
  }
  for (auto clients : options.clients) {
    auto total = std::max(engine.minimum, clients * engine.per_client);
    measurement on;
    measurement off;
    for (size_t round = 0; round < std::max<size_t>(options.rounds, 1);
         ++round) {
      auto run = [&](const translate_request& prototype, measurement& m) {
        m.add(drive_requests(sys, rt.router(), prototype, total, clients,
                             unique_texts));
      };
      if (round % 2 == 0) {
        run(batched, on);
        run(single, off);
      } else {
        run(single, off);
        run(batched, on);
      }
    }
    print_row(engine.name, clients, "on", on);
    print_row(engine.name, clients, "off", off);
    std::printf("%-9s %8zu  on/off    %11.2fx %9.2fx %9.2fx\n",
                engine.name.c_str(), clients,
                percentile(on.throughput, 50) / percentile(off.throughput, 50),
                percentile(off.p50_ms, 50) / percentile(on.p50_ms, 50),
                percentile(off.p99_ms, 50) / percentile(on.p99_ms, 50));
    std::fflush(stdout);
  }
  rt.shutdown(std::chrono::seconds(30));
}

int run_bench_pool(const bench_pool_options& options) {
  try {
    setup_logging(options.log_level);
    auto engines = engines_of(options);
    if (engines.empty())
      throw std::runtime_error("no engine to time: give --checkpoint or "
                               "leave Apertium on");
    std::printf("parley bench pool: %s; batching on: max_batch %zu, off: "
                "max_batch 1; %zu round(s), new texts only\n",
                cpu_description().c_str(), options.max_batch, options.rounds);
    for (const auto& engine : engines)
      std::printf("%s: %zu requests per client in a measurement, at least "
                  "%zu\n",
                  engine.name.c_str(), engine.per_client, engine.minimum);
    if (options.checkpoint) {
      print_compute_header();
      std::printf("nllb: %s, compute_type %s, %zu threads, %zu new tokens "
                  "per request\n",
                  options.checkpoint->c_str(), options.compute_type.c_str(),
                  options.threads, options.new_tokens);
    }
    std::printf("%-9s %8s  %-9s %12s %10s %10s %9s\n", "engine", "clients",
                "batching", "requests/s", "p50 ms", "p99 ms", "failures");
    std::printf("(on/off rows: throughput ratio, then how many times lower "
                "p50 and p99 are with batching on)\n");
    for (const auto& engine : engines)
      bench_engine(engine, options);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_bench_pool_command(CLI::App& bench) {
  auto options = std::make_shared<bench_pool_options>();
  auto* command = bench.add_subcommand(
      "pool", "what the pool's batching buys: throughput and p50/p99 with "
              "1 to 64 concurrent clients, batching on and off side by side, "
              "on Apertium and on an NLLB checkpoint");
  command
      ->add_option("--checkpoint", options->checkpoint,
                   "an NLLB checkpoint to time as well (e.g. parley "
                   "make-checkpoint --shape nllb-600m)")
      ->type_name("DIR");
  command->add_flag("--no-apertium", options->no_apertium,
                    "time the checkpoint only");
  command
      ->add_option("--clients", options->clients,
                   "client counts (requests in flight), comma-separated")
      ->delimiter(',')
      ->check(CLI::PositiveNumber)
      ->type_name("N,N...")
      ->capture_default_str();
  add_count(*command, "--max-batch", options->max_batch,
            "max_batch of the batching-on model");
  add_count(*command, "--requests-per-client", options->requests_per_client,
            "requests per client in one measurement (default: 20 for "
            "Apertium, 2 for NLLB)");
  add_count(*command, "--min-requests", options->min_requests,
            "requests of one measurement, at least (default: 400 for "
            "Apertium, 8 for NLLB)");
  add_count(*command, "--rounds", options->rounds,
            "rounds, on and off alternating (the median is shown)");
  add_count(*command, "--new-tokens", options->new_tokens,
            "NLLB: tokens decoded per request");
  command
      ->add_option("--compute-type", options->compute_type,
                   "NLLB: the compute type")
      ->type_name("TYPE")
      ->capture_default_str();
  add_count(*command, "--threads", options->threads,
            "NLLB: threads of each replica");
  add_log_level(*command, options->log_level);
  set_action(*command, [options] { return run_bench_pool(*options); });
}

} // namespace parley
