// `parley bench cluster`: what nodes cost and what they give, measured side
// by side in one run. This process is the front (a runtime with a cluster
// port); the workers are real `parleyd --role worker` processes on
// loopback. Jobs go straight to the models' pools, so the router and the
// cache (which would answer repeated texts) stay out of the figures.
//
// 1. One batch of one job, sent when the previous one is answered, to a
//    replica in this process and to one on a worker: the cost of the hop.
//    The same with a 1.92 MB text, the size of a 30 s audio window of
//    16 kHz float samples, which crosses nodes as it is.
// 2. Throughput through a model whose batch costs a fixed wait (echo with
//    `batch_ms`, as an accelerator's batch does), with one worker, then two.
// 3. kill -9 of one of two workers under that load: the time until every
//    job in flight at the kill is answered, and how many were lost.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <unistd.h>

#include "cluster/cluster_front.hpp"
#include "cluster/cluster_system.hpp"
#include "messages/error_code.hpp"
#include "messages/replica.hpp"
#include "messages/translation.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/subprocess.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

/// What `parley bench cluster` was asked.
struct bench_cluster_options {
  /// The fixed cost of one batch of the `wait` model.
  size_t batch_ms = 20;
  size_t max_batch = 8;
  /// Jobs of each throughput run and of the kill run.
  size_t jobs = 4000;
  size_t concurrency = 64;
  /// Round trips timed for the cost of the hop.
  size_t round_trips = 2000;
  /// Where the figures are also written as CSV; unset: nowhere.
  std::optional<std::string> csv;
};

double micros(clock_type::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

model_config echo_model(const std::string& name, size_t replicas, int batch_ms,
                        size_t max_batch) {
  model_config model;
  model.name = name;
  model.kind = "echo";
  model.replicas = replicas;
  model.batching.max_batch = max_batch;
  model.batching.queue_capacity = 100000;
  model.options.set("batch_ms", std::to_string(batch_ms));
  return model;
}

/// A worker process serving `models` (TOML tables), joined to the front.
std::unique_ptr<child_process> start_worker(const std::string& name,
                                            uint16_t front_port,
                                            const std::string& models) {
  auto config =
      "/tmp/parley_bench_" + name + "_" + std::to_string(getpid()) + ".toml";
  std::ofstream{config} << models;
  auto worker = std::make_unique<child_process>(std::vector<std::string>{
      own_directory() + "/parleyd", "--role", "worker", "--join",
      "127.0.0.1:" + std::to_string(front_port), "--node-name", name,
      "--config", config, "--log-level", "warn", "--set",
      "cluster.heartbeat_ms=200", "--set", "cluster.peer_timeout_ms=1500"});
  worker->discard_output();
  return worker;
}

/// Waits until `model`'s pool has `replicas` replicas.
void await_replicas(runtime& rt, const std::string& model, size_t replicas) {
  auto deadline = clock_type::now() + std::chrono::seconds(60);
  while (clock_type::now() < deadline) {
    auto pools = rt.pools();
    auto pool = pools.find(model);
    if (pool != pools.end() && pool->second.replicas.size() == replicas)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("model " + model + " did not reach "
                           + std::to_string(replicas) + " replicas");
}

/// Round trips of one job at a time to `pool`; the median, in µs.
double median_round_trip(caf::actor_system& sys, const pool_actor& pool,
                         const std::string& text, size_t count) {
  caf::scoped_actor self{sys};
  std::vector<double> times;
  for (size_t i = 0; i < count; ++i) {
    auto start = clock_type::now();
    self->request(pool, std::chrono::seconds(30), infer_atom::value,
                  translation_job{"en", "es", text, lane::interactive})
        .receive([](job_result&) {},
                 [](caf::error& err) {
                   throw std::runtime_error("job failed: "
                                            + caf::to_string(err));
                 });
    times.push_back(micros(clock_type::now() - start));
  }
  return percentile(times, 50);
}

/// What a closed loop of jobs saw.
struct load_result {
  size_t answered = 0;
  size_t failed = 0;
  double seconds = 0;
  /// Answer times of the jobs in flight when `at` passed, from `at`.
  double slowest_after_mark_ms = 0;
};

/// Keeps `concurrency` jobs in flight until `total` are answered. At
/// `mark_after` answers, calls `mark` once and notes the time.
load_result closed_loop(caf::actor_system& sys, const pool_actor& pool,
                        size_t total, size_t concurrency, size_t mark_after = 0,
                        const std::function<void()>& mark = {}) {
  struct shared {
    std::atomic<size_t> answered{0};
    std::atomic<size_t> failed{0};
    clock_type::time_point mark_time;
    std::vector<uint64_t> in_flight_at_mark;
    double slowest_ms = 0;
  };
  auto state = std::make_shared<shared>();
  auto start = clock_type::now();
  auto driver = sys.spawn([=](caf::event_based_actor* self) {
    auto sent = std::make_shared<size_t>(0);
    auto outstanding = std::make_shared<std::set<uint64_t>>();
    auto marked = std::make_shared<bool>(false);
    auto send_one = std::make_shared<std::function<void()>>();
    *send_one = [=] {
      if (*sent >= total)
        return;
      auto id = (*sent)++;
      outstanding->insert(id);
      self->request(pool, std::chrono::seconds(60), infer_atom::value,
                    translation_job{"en", "es", "job " + std::to_string(id),
                                    lane::interactive})
          .then(
              [=](job_result&) {
                state->answered++;
                outstanding->erase(id);
                auto now = clock_type::now();
                if (*marked
                    && std::find(state->in_flight_at_mark.begin(),
                                 state->in_flight_at_mark.end(), id)
                           != state->in_flight_at_mark.end())
                  state->slowest_ms = std::max(
                      state->slowest_ms, micros(now - state->mark_time) / 1000);
                if (!*marked && mark && state->answered >= mark_after) {
                  *marked = true;
                  state->mark_time = clock_type::now();
                  state->in_flight_at_mark.assign(outstanding->begin(),
                                                  outstanding->end());
                  mark();
                }
                (*send_one)();
              },
              [=](caf::error&) {
                state->answered++;
                state->failed++;
                outstanding->erase(id);
                (*send_one)();
              });
    };
    for (size_t i = 0; i < concurrency; ++i)
      (*send_one)();
  });
  while (state->answered < total) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (clock_type::now() - start > std::chrono::minutes(5))
      break;
  }
  load_result result;
  result.seconds =
      std::chrono::duration<double>(clock_type::now() - start).count();
  result.answered = state->answered;
  result.failed = state->failed;
  result.slowest_after_mark_ms = state->slowest_ms;
  caf::anon_send_exit(driver, caf::exit_reason::user_shutdown);
  return result;
}

int run_bench_cluster(const bench_cluster_options& options) {
  try {
    auto batch_ms = static_cast<int>(options.batch_ms);
    auto max_batch = options.max_batch;
    auto jobs = options.jobs;
    auto concurrency = options.concurrency;
    auto round_trips = options.round_trips;

    runtime_config config;
    config.cache_capacity = 0;
    config.audio_cache_capacity = 0;
    config.node_name = "bench-front";
    config.models = {echo_model("local", 1, 0, 1),
                     echo_model("remote", 0, 0, 1),
                     echo_model("wait", 0, batch_ms, max_batch)};
    config.routes["default"] = "local";
    cluster_config cluster;
    cluster.listen = true;
    cluster.heartbeat = std::chrono::milliseconds(200);
    cluster.peer_timeout = std::chrono::milliseconds(1500);
    system_config sys_cfg;
    enable_cluster(sys_cfg, cluster);
    caf::actor_system sys{sys_cfg};
    runtime rt{sys, config, backend_registry::builtin()};
    cluster_front_setup setup;
    setup.node = config.node_name;
    setup.pools = rt.pool_directory();
    auto front = spawn_cluster_front(sys, setup);
    rt.attach_cluster(front);
    auto port =
        open_cluster_port(sys, caf::actor_cast<caf::actor>(front), cluster);
    rt.wait_until_ready(std::chrono::seconds(30));
    auto pool = [&](const std::string& name) {
      return rt.pool_directory().at(name);
    };

    auto models = [&](const char* name, int ms) {
      return "[models." + std::string{name}
             + "]\nkind = \"echo\"\nbatch_ms = " + std::to_string(ms)
             + "\nmax_batch = " + std::to_string(max_batch) + "\n";
    };
    auto w1 = start_worker("w1", port,
                           models("remote", 0) + models("wait", batch_ms));
    await_replicas(rt, "remote", 1);
    await_replicas(rt, "wait", 1);

    std::printf("parley bench cluster: %s\n", cpu_description().c_str());
    std::printf("front in this process, workers: parleyd --role worker on "
                "loopback\n\n");
    std::string window(480000 * sizeof(float), 'x');
    auto local_us = median_round_trip(sys, pool("local"), "hello", round_trips);
    auto remote_us =
        median_round_trip(sys, pool("remote"), "hello", round_trips);
    auto local_window_us = median_round_trip(sys, pool("local"), window, 50);
    auto remote_window_us = median_round_trip(sys, pool("remote"), window, 50);

    auto one = closed_loop(sys, pool("wait"), jobs, concurrency);
    auto w2 = start_worker("w2", port, models("wait", batch_ms));
    await_replicas(rt, "wait", 2);
    auto two = closed_loop(sys, pool("wait"), jobs, concurrency);
    auto one_rate = one.answered / one.seconds;
    auto two_rate = two.answered / two.seconds;

    // kill -9 of w1 once a quarter of the jobs are answered.
    auto kill = closed_loop(sys, pool("wait"), jobs, concurrency, jobs / 4,
                            [&] { ::kill(w1->pid(), SIGKILL); });
    auto metrics = rt.current_metrics();
    auto requeued = metrics.values["model_retries_total{model=\"wait\"}"];

    std::printf("%-52s %14s\n", "measure", "value");
    std::printf("%-52s %11.1f µs\n",
                "one-job batch, replica in this process "
                "(p50)",
                local_us);
    std::printf("%-52s %11.1f µs\n", "one-job batch, replica on a worker (p50)",
                remote_us);
    std::printf("%-52s %11.1f µs\n", "  cost of the hop", remote_us - local_us);
    std::printf("%-52s %11.1f µs\n",
                "1.92 MB job (a 30 s window), in this process (p50)",
                local_window_us);
    std::printf("%-52s %11.1f µs\n",
                "1.92 MB job (a 30 s window), on a worker "
                "(p50)",
                remote_window_us);
    std::printf("%-52s %11.1f µs\n", "  cost of moving it there and back",
                remote_window_us - local_window_us);
    std::printf(
        "%-52s %11.1f /s\n",
        ("throughput, 1 worker (batch " + std::to_string(batch_ms) + " ms)")
            .c_str(),
        one_rate);
    std::printf("%-52s %11.1f /s\n", "throughput, 2 workers", two_rate);
    std::printf("%-52s %12.2f×  (target >= 1.9)\n", "  2 workers / 1 worker",
                two_rate / one_rate);
    std::printf("%-52s %11.1f ms  (target < 3000)\n",
                "kill -9 of a worker: its jobs answered elsewhere within",
                kill.slowest_after_mark_ms);
    std::printf("%-52s %7zu of %zu  (lost: %zu)\n", "  jobs answered",
                kill.answered - kill.failed, jobs, jobs - kill.answered);
    std::printf("%-52s %14.0f\n", "  jobs requeued", requeued);

    if (options.csv) {
      std::ofstream csv{*options.csv};
      csv << "measure,value,unit\n"
          << "local_batch," << local_us << ",us\n"
          << "remote_batch," << remote_us << ",us\n"
          << "local_window," << local_window_us << ",us\n"
          << "remote_window," << remote_window_us << ",us\n"
          << "throughput_1_worker," << one_rate << ",jobs/s\n"
          << "throughput_2_workers," << two_rate << ",jobs/s\n"
          << "kill_answered_within," << kill.slowest_after_mark_ms << ",ms\n"
          << "kill_lost," << jobs - kill.answered << ",jobs\n"
          << "kill_failed," << kill.failed << ",jobs\n";
    }
    w2->stop(SIGTERM);
    rt.shutdown(std::chrono::seconds(1));
    return kill.answered == jobs ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parley bench cluster: %s\n", e.what());
    return 2;
  }
}

} // namespace

void add_bench_cluster_command(CLI::App& bench) {
  auto options = std::make_shared<bench_cluster_options>();
  auto* command = bench.add_subcommand(
      "cluster",
      "this process as a front with parleyd workers on loopback: "
      "the cost of a batch on a worker against one in-process (also "
      "for a 30 s audio window's 1.92 MB), throughput with 1 and 2 "
      "workers for a model whose batch is a fixed wait, and the time "
      "to answer a killed worker's jobs elsewhere");
  add_count(*command, "--batch-ms", options->batch_ms,
            "the fixed wait of one batch in the throughput runs")
      ->type_name("MS");
  add_count(*command, "--max-batch", options->max_batch,
            "the largest batch of the throughput runs");
  add_count(*command, "--jobs", options->jobs,
            "jobs of each throughput run and of the kill run");
  add_count(*command, "--concurrency", options->concurrency, "jobs in flight");
  add_count(*command, "--round-trips", options->round_trips,
            "one-job batches timed for the cost of the hop");
  command->add_option("--csv", options->csv, "also write the figures to FILE")
      ->type_name("FILE");
  set_action(*command, [options] { return run_bench_cluster(*options); });
}

} // namespace parley
