// `parley bench zmq`: a load generator for any server speaking the gateway
// protocol. It opens its own PUSH and SUB sockets, keeps a fixed number of
// translation tasks in flight and times each from send to the last of its
// per-language answers. Without --connect it starts a parleyd of its own.
// With --peer python it also starts tools/peer_translator.py, a model of the
// Python service Parley replaces, and measures both with the same client
// code and load, taking rounds in turn, then prints the ratios. With
// --compare-histograms it starts two parleyds, histograms on and off, and
// does the same: the cost of the histograms.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits.h>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/subprocess.hpp"
#include "tools/zmq_load.hpp"

namespace parley {

namespace {

/// Tasks whose text was answered once before the timed rounds.
constexpr size_t warm_texts = 64;

struct bench_options {
  std::string host = "127.0.0.1";
  uint16_t pull_port = 0;
  uint16_t pub_port = 0;
  size_t requests = 100000;
  size_t concurrency = 64;
  size_t languages = 3;
  size_t rounds = 3;
  /// Share of requests whose text is already cached, 0 to 1.
  double cached = 1.0;
};

/// What `parley bench zmq` was asked, besides the load itself.
struct bench_zmq_options {
  bench_options load;
  /// The server to load; unset: a parleyd of this run's own.
  std::optional<std::string> connect;
  std::optional<size_t> pull_port;
  std::optional<size_t> pub_port;
  /// The own parleyd's configuration file and `--set` overrides.
  std::optional<std::string> server_config;
  std::vector<std::string> server_set;
  /// The own parleyd's binary; empty: the one beside parley.
  std::string parleyd;
  /// "python": also measure tools/peer_translator.py.
  std::optional<std::string> peer;
  /// Also start a parleyd with `[metrics] histograms = false` and compare.
  bool compare_histograms = false;
};

/// The text of warm text `id`, or of a fresh one.
std::string message_text(size_t id) {
  return "Message " + std::to_string(id)
         + ": the meeting starts at nine tomorrow.";
}

/// Deterministic mix: the first `cached` share of every hundred requests
/// reuses a warm text, the rest get a text never sent before.
struct text_mix {
  double cached = 1.0;
  size_t next_fresh = 0;

  std::string operator()(size_t sequence) {
    if (static_cast<double>(sequence % 100) < cached * 100)
      return message_text(sequence % warm_texts);
    return message_text(warm_texts + next_fresh++);
  }
};

zmq_load_options load_options(const bench_options& options) {
  zmq_load_options load;
  load.host = options.host;
  load.pull_port = options.pull_port;
  load.pub_port = options.pub_port;
  load.concurrency = options.concurrency;
  load.languages = options.languages;
  return load;
}

uint16_t port_of(const std::optional<size_t>& given, const char* name) {
  auto port = given.value_or(0);
  if (port == 0 || port > 65535)
    throw std::invalid_argument(std::string{"--"} + name
                                + " needs a port number");
  return static_cast<uint16_t>(port);
}

/// Starts parleyd on fixed test ports (moved up by `port_shift`) with the
/// given extra arguments, and `more_sets` after them.
std::unique_ptr<child_process>
start_server(bench_options& options, const bench_zmq_options& given,
             uint16_t port_shift = 0,
             const std::vector<std::string>& more_sets = {}) {
  options.pull_port =
      static_cast<uint16_t>(given.pull_port.value_or(25555) + port_shift);
  options.pub_port =
      static_cast<uint16_t>(given.pub_port.value_or(25558) + port_shift);
  std::vector<std::string> argv{
      given.parleyd.empty() ? own_directory() + "/parleyd" : given.parleyd,
      "--pull-port",
      std::to_string(options.pull_port),
      "--pub-port",
      std::to_string(options.pub_port),
      "--http-port",
      "0",
      "--log-level",
      "info"};
  if (given.server_config) {
    argv.push_back("--config");
    argv.push_back(*given.server_config);
  }
  for (const auto& assignment : given.server_set) {
    argv.push_back("--set");
    argv.push_back(assignment);
  }
  for (const auto& assignment : more_sets) {
    argv.push_back("--set");
    argv.push_back(assignment);
  }
  auto server = std::make_unique<child_process>(argv);
  if (!server->wait_for_output("parleyd: ready", std::chrono::seconds(300)))
    throw std::runtime_error("parleyd did not start:\n" + server->output());
  server->discard_output();
  return server;
}

/// Starts tools/peer_translator.py on free ports and reads them back.
std::unique_ptr<child_process> start_peer(bench_options& options) {
  const std::string marker = "peer_translator: ready";
  auto peer = std::make_unique<child_process>(std::vector<std::string>{
      "/usr/bin/python3",
      std::string{PARLEY_SOURCE_DIR} + "/tools/peer_translator.py"});
  if (!peer->wait_for_output(marker, std::chrono::seconds(60)))
    throw std::runtime_error("peer_translator.py did not start (it needs "
                             "Debian's python3-zmq):\n"
                             + peer->output());
  // The ready line is one write of a few bytes, so it arrives whole.
  const auto& out = peer->output();
  unsigned pull = 0;
  unsigned pub = 0;
  auto ports = out.c_str() + out.find(marker) + marker.size();
  if (std::sscanf(ports, " pull=%u pub=%u", &pull, &pub) != 2 || pull == 0
      || pull > 65535 || pub == 0 || pub > 65535)
    throw std::runtime_error("peer_translator.py: no ports in:\n" + out);
  options.host = "127.0.0.1";
  options.pull_port = static_cast<uint16_t>(pull);
  options.pub_port = static_cast<uint16_t>(pub);
  peer->discard_output();
  return peer;
}

/// CPU time `pid` has used so far, all its threads, in microseconds; 0 when
/// unknown. Throughput on a shared machine depends on what else runs; the
/// CPU a server spends per task much less so.
double cpu_time_us(pid_t pid) {
  if (pid <= 0)
    return 0;
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  std::string line;
  std::getline(stat, line);
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime and stime are fields 14 and 15.
  std::istringstream fields{line.substr(line.rfind(')') + 1)};
  std::string skipped;
  for (int field = 3; field <= 13; ++field)
    fields >> skipped;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  if (!(fields >> utime >> stime))
    return 0;
  return (utime + stime) * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// One server measured in a side-by-side run, with its rounds so far.
struct contender {
  contender(std::string name, const bench_options& options, pid_t process)
      : label(std::move(name)),
        generator(std::make_unique<zmq_load>(load_options(options))),
        texts{options.cached}, pid(process) {
  }

  round_result run(size_t count) {
    return generator->run(count, [this](size_t i) { return texts(i); });
  }

  std::string label;
  std::unique_ptr<zmq_load> generator;
  text_mix texts;
  /// The server's process when this run started it, else -1.
  pid_t pid;
  std::vector<double> rates, p50s, p99s, cpu_us_per_task;
  uint64_t failures = 0;
};

/// Runs the rounds on each server in turn, so a change in the shared
/// machine's load falls on both alike, then prints medians and the ratios
/// of the first server (Parley) to the last (the peer, or Parley without
/// histograms).
void run_side_by_side(std::vector<contender>& servers,
                      const bench_options& options) {
  std::printf("%-6s %-7s %14s %10s %10s %9s %12s\n", "round", "server",
              "tasks/s", "p50 us", "p99 us", "failures", "cpu us/task");
  for (size_t round = 1; round <= options.rounds; ++round)
    for (auto& server : servers) {
      auto cpu_before = cpu_time_us(server.pid);
      auto result = server.run(options.requests);
      auto cpu_us = cpu_time_us(server.pid) - cpu_before;
      auto tasks = static_cast<double>(result.latencies_us.size());
      server.rates.push_back(tasks / result.seconds);
      server.p50s.push_back(percentile(result.latencies_us, 50));
      server.p99s.push_back(percentile(result.latencies_us, 99));
      server.cpu_us_per_task.push_back(tasks > 0 ? cpu_us / tasks : 0);
      server.failures += result.failures;
      std::printf("%-6zu %-7s %14.0f %10.1f %10.1f %9llu %12.1f\n", round,
                  server.label.c_str(), server.rates.back(), server.p50s.back(),
                  server.p99s.back(),
                  static_cast<unsigned long long>(result.failures),
                  server.cpu_us_per_task.back());
      std::fflush(stdout);
    }
  for (const auto& server : servers)
    std::printf("median %-7s %13.0f %10.1f %10.1f %9llu %12.1f\n",
                server.label.c_str(), percentile(server.rates, 50),
                percentile(server.p50s, 50), percentile(server.p99s, 50),
                static_cast<unsigned long long>(server.failures),
                percentile(server.cpu_us_per_task, 50));
  const auto& parley = servers.front();
  const auto& peer = servers.back();
  std::printf("ratio  %s/%s %.3fx tasks/s; %s/%s %.3fx p50, %.3fx p99",
              parley.label.c_str(), peer.label.c_str(),
              percentile(parley.rates, 50) / percentile(peer.rates, 50),
              peer.label.c_str(), parley.label.c_str(),
              percentile(peer.p50s, 50) / percentile(parley.p50s, 50),
              percentile(peer.p99s, 50) / percentile(parley.p99s, 50));
  if (parley.pid > 0 && peer.pid > 0)
    std::printf(", %.3fx cpu per task",
                percentile(peer.cpu_us_per_task, 50)
                    / percentile(parley.cpu_us_per_task, 50));
  std::printf("\n");
}

int run_bench_zmq(const bench_zmq_options& given) {
  try {
    auto options = given.load;
    options.concurrency = std::max<size_t>(options.concurrency, 1);
    options.languages =
        std::clamp<size_t>(options.languages, 1, bench_languages.size());
    options.rounds = std::max<size_t>(options.rounds, 1);
    options.cached = std::clamp(options.cached, 0.0, 1.0);
    std::unique_ptr<child_process> server;
    if (given.connect) {
      options.host = *given.connect;
      options.pull_port = port_of(given.pull_port, "pull-port");
      options.pub_port = port_of(given.pub_port, "pub-port");
    } else {
      server = start_server(options, given);
    }
    std::unique_ptr<child_process> peer;
    auto peer_options = options;
    if (given.peer)
      peer = start_peer(peer_options);
    else if (given.compare_histograms && server)
      peer = start_server(peer_options, given, /*port_shift=*/10,
                          {"metrics.histograms=false"});
    std::vector<contender> servers;
    servers.emplace_back(given.compare_histograms ? "hist-on" : "parley",
                         options, server ? server->pid() : -1);
    if (peer)
      servers.emplace_back(given.compare_histograms ? "hist-off" : "peer",
                           peer_options, peer->pid());
    for (auto& entry : servers) {
      if (!entry.generator->connect())
        throw std::runtime_error("no pong from " + entry.label);
      // Every warm text is answered once, so "cached" requests hit the cache.
      entry.generator->run(warm_texts, message_text);
    }
    std::printf("parley bench zmq: %s%s, %zu tasks x %zu rounds, %zu in "
                "flight, %zu languages each, %.0f%% cached texts\n",
                server ? "own parleyd" : options.host.c_str(),
                !peer ? ""
                : given.compare_histograms
                    ? " with histograms, and one with [metrics] histograms = "
                      "false, same load in alternating rounds"
                    : " and tools/peer_translator.py (Python asyncio + "
                      "pyzmq), same load",
                options.requests, options.rounds, options.concurrency,
                options.languages, options.cached * 100);
    std::printf("cpu: %s%s\n", cpu_description().c_str(),
                server || peer ? ", shared by the load generator and the "
                                 "servers it started"
                               : " (the load generator's)");
    if (peer)
      run_side_by_side(servers, options);
    else
      print_rounds(
          options.rounds, [&] { return servers.front().run(options.requests); },
          "tasks/s");
    if (peer)
      peer->stop(SIGTERM);
    if (server)
      server->stop(SIGTERM);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_bench_zmq_command(CLI::App& bench) {
  auto options = std::make_shared<bench_zmq_options>();
  auto& load = options->load;
  auto* command = bench.add_subcommand(
      "zmq", "load-test a server over the gateway protocol; without --connect "
             "it starts its own parleyd (the one beside parley, or PATH); "
             "--peer python also measures tools/peer_translator.py, a Python "
             "asyncio model of the old service, under the same load and prints "
             "the ratios");
  add_count(*command, "--requests", load.requests, "tasks per round");
  add_count(*command, "--concurrency", load.concurrency, "tasks in flight");
  add_count(*command, "--languages", load.languages,
            "target languages per task, 1 to 4");
  add_count(*command, "--rounds", load.rounds, "timed rounds");
  command
      ->add_option("--cached", load.cached,
                   "the share of tasks whose text is already cached, 0 to 1")
      ->type_name("FRACTION")
      ->capture_default_str();
  command
      ->add_option("--connect", options->connect,
                   "load the server on HOST (needs --pull-port and --pub-port)")
      ->type_name("HOST");
  add_count(*command, "--pull-port", options->pull_port,
            "the server's PULL port (own parleyd: 25555)")
      ->type_name("P");
  add_count(*command, "--pub-port", options->pub_port,
            "the server's PUB port (own parleyd: 25558)")
      ->type_name("Q");
  command
      ->add_option("--server-config", options->server_config,
                   "the own parleyd's configuration")
      ->type_name("FILE");
  add_repeated(*command, "--server-set", options->server_set,
               "one --set of the own parleyd; may repeat")
      ->type_name("K=V");
  add_parleyd_option(*command, options->parleyd);
  command
      ->add_option("--peer", options->peer,
                   "python: also measure tools/peer_translator.py")
      ->type_name("python")
      ->check(CLI::IsMember({"python"}).description(""));
  command->add_flag("--compare-histograms", options->compare_histograms,
                    "also start a parleyd with [metrics] histograms = false "
                    "and run both in alternating rounds: the histograms' "
                    "cost");
  set_action(*command, [options] { return run_bench_zmq(*options); });
}

} // namespace parley
