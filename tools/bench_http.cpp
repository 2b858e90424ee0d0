// `parley bench http`: LibreTranslate's `POST /translate` beside the same
// texts through the gateway's ZMQ protocol, on one parleyd this run starts.
// Single texts and `q` lists (as one ZMQ unit of as many tasks), with every
// text cached or every text new, taking the paths in turn each round so the
// shared machine's noise falls on both; then medians and HTTP/ZMQ ratios.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/subprocess.hpp"
#include "tools/zmq_load.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;
using nlohmann::json;

struct bench_http_options {
  /// Texts per measurement; a list measurement sends texts / list requests.
  size_t texts = 800;
  size_t list = 16;
  size_t concurrency = 16;
  size_t rounds = 3;
  uint16_t pull_port = 25555;
  uint16_t pub_port = 25558;
  uint16_t http_port = 28000;
  std::string parleyd;
};

/// The warm texts, answered once before the timed rounds.
constexpr size_t warm_texts = 256;

std::string text_number(size_t id) {
  return "Message " + std::to_string(id)
         + ": the meeting starts at nine tomorrow.";
}

/// Sends `units` LibreTranslate requests of `list` texts each (a plain `q`
/// for one), `concurrency` at a time on kept-alive connections.
round_result run_http(uint16_t port, size_t units, size_t list,
                      size_t concurrency,
                      const std::function<std::string(size_t)>& text_of) {
  round_result result;
  std::mutex merge;
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> failures{0};
  auto begin = clock_type::now();
  std::vector<std::thread> clients;
  for (size_t c = 0; c < concurrency; ++c)
    clients.emplace_back([&] {
      httplib::Client client{"127.0.0.1", port};
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(std::chrono::seconds(60));
      std::vector<double> latencies;
      for (size_t unit; (unit = next++) < units;) {
        json q = list == 1 ? json(text_of(unit)) : json::array();
        for (size_t k = 0; list > 1 && k < list; ++k)
          q.push_back(text_of(unit * list + k));
        auto body =
            json{{"q", std::move(q)}, {"source", "en"}, {"target", "es"}}
                .dump();
        auto sent = clock_type::now();
        auto reply = client.Post("/translate", body, "application/json");
        if (!reply || reply->status != 200) {
          ++failures;
          continue;
        }
        latencies.push_back(
            std::chrono::duration<double, std::micro>(clock_type::now() - sent)
                .count());
      }
      std::lock_guard<std::mutex> guard{merge};
      result.latencies_us.insert(result.latencies_us.end(), latencies.begin(),
                                 latencies.end());
    });
  for (auto& client : clients)
    client.join();
  result.seconds =
      std::chrono::duration<double>(clock_type::now() - begin).count();
  result.failures = failures;
  return result;
}

/// One measured path and load, with its rounds so far.
struct series {
  std::string path;
  size_t list = 1;
  bool cached = false;
  std::vector<double> texts_per_s, p50_ms, p99_ms;
  uint64_t failures = 0;

  void add(const round_result& result, size_t texts_per_unit) {
    auto units = static_cast<double>(result.latencies_us.size());
    texts_per_s.push_back(units * texts_per_unit / result.seconds);
    p50_ms.push_back(percentile(result.latencies_us, 50) / 1000);
    p99_ms.push_back(percentile(result.latencies_us, 99) / 1000);
    failures += result.failures;
  }

  std::string name() const {
    return path + " " + (list == 1 ? "1 text" : std::to_string(list) + " texts")
           + (cached ? ", cached" : ", new");
  }
};

std::unique_ptr<child_process> start_server(const bench_http_options& given) {
  auto server = std::make_unique<child_process>(std::vector<std::string>{
      given.parleyd.empty() ? own_directory() + "/parleyd" : given.parleyd,
      "--pull-port", std::to_string(given.pull_port), "--pub-port",
      std::to_string(given.pub_port), "--http-port",
      std::to_string(given.http_port)});
  if (!server->wait_for_output("parleyd: ready", std::chrono::seconds(300)))
    throw std::runtime_error("parleyd did not start:\n" + server->output());
  server->discard_output();
  return server;
}

int run_bench_http(bench_http_options options) {
  try {
    options.list = std::max<size_t>(options.list, 2);
    options.texts = std::max(options.texts, options.list);
    options.concurrency = std::max<size_t>(options.concurrency, 1);
    options.rounds = std::max<size_t>(options.rounds, 1);
    auto server = start_server(options);
    zmq_load_options single;
    single.pull_port = options.pull_port;
    single.pub_port = options.pub_port;
    single.concurrency = options.concurrency;
    auto listed = single;
    listed.group = options.list;
    zmq_load zmq_single{single};
    zmq_load zmq_list{listed};
    if (!zmq_single.connect() || !zmq_list.connect())
      throw std::runtime_error("no pong from parleyd");
    // Warm texts through both paths: a "cached" text is cached for each.
    zmq_single.run(warm_texts, text_number);
    run_http(options.http_port, warm_texts, 1, options.concurrency,
             text_number);
    std::printf("parley bench http: LibreTranslate's POST /translate and the "
                "gateway's ZMQ on one parleyd (embedded Apertium, en->es), %zu "
                "texts per measurement, %zu in flight, lists of %zu, %zu "
                "rounds\n",
                options.texts, options.concurrency, options.list,
                options.rounds);
    std::printf("cpu: %s, shared by the load generator and parleyd\n",
                cpu_description().c_str());
    std::vector<series> all;
    for (bool cached : {false, true})
      for (size_t list : {size_t{1}, options.list})
        for (const char* path : {"zmq", "http"})
          all.push_back({path, list, cached, {}, {}, {}, 0});
    // New texts never repeat across paths, rounds or lists.
    size_t fresh = warm_texts;
    std::printf("%-6s %-24s %10s %10s %10s %9s\n", "round", "measurement",
                "texts/s", "p50 ms", "p99 ms", "failures");
    for (size_t round = 1; round <= options.rounds; ++round)
      for (auto& s : all) {
        auto base = fresh;
        auto text_of = [&s, base](size_t i) {
          return text_number(s.cached ? i % warm_texts : base + i);
        };
        if (!s.cached)
          fresh += options.texts;
        auto units = options.texts / s.list;
        round_result result;
        if (s.path == "http")
          result = run_http(options.http_port, units, s.list,
                            options.concurrency, text_of);
        else
          result = (s.list == 1 ? zmq_single : zmq_list).run(units, text_of);
        s.add(result, s.list);
        std::printf("%-6zu %-24s %10.0f %10.2f %10.2f %9llu\n", round,
                    s.name().c_str(), s.texts_per_s.back(), s.p50_ms.back(),
                    s.p99_ms.back(),
                    static_cast<unsigned long long>(result.failures));
        std::fflush(stdout);
      }
    for (const auto& s : all)
      std::printf("median %-24s %10.0f %10.2f %10.2f %9llu\n", s.name().c_str(),
                  percentile(s.texts_per_s, 50), percentile(s.p50_ms, 50),
                  percentile(s.p99_ms, 50),
                  static_cast<unsigned long long>(s.failures));
    for (size_t i = 0; i + 1 < all.size(); i += 2) {
      const auto& zmq = all[i];
      const auto& http = all[i + 1];
      std::printf("ratio  http/zmq %-15s %.2fx texts/s, %.2fx p50, %.2fx p99\n",
                  http.name().substr(5).c_str(),
                  percentile(http.texts_per_s, 50)
                      / percentile(zmq.texts_per_s, 50),
                  percentile(http.p50_ms, 50) / percentile(zmq.p50_ms, 50),
                  percentile(http.p99_ms, 50) / percentile(zmq.p99_ms, 50));
    }
    server->stop(SIGTERM);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_bench_http_command(CLI::App& bench) {
  auto options = std::make_shared<bench_http_options>();
  auto* command = bench.add_subcommand(
      "http", "LibreTranslate's POST /translate beside the same texts over "
              "ZMQ, on a parleyd of its own: single texts and q lists, cached "
              "and new, with the ratios");
  add_count(*command, "--texts", options->texts, "texts per measurement");
  add_count(*command, "--list", options->list, "texts per q list");
  add_count(*command, "--concurrency", options->concurrency,
            "requests in flight");
  add_count(*command, "--rounds", options->rounds, "timed rounds");
  command
      ->add_option("--http-port", options->http_port,
                   "the own parleyd's HTTP port")
      ->capture_default_str();
  add_parleyd_option(*command, options->parleyd);
  set_action(*command, [options] { return run_bench_http(*options); });
}

} // namespace parley
