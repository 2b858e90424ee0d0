// `parley bench detect`: how fast source-language detection is, and what
// `sourceLanguage: "auto"` adds to a cached request.
//
// Part 1 measures the accuracy of detection on the labelled short chat
// messages (tests/data/short_chat_messages.tsv), beside CLD2 alone, and
// detections per second on them with one thread and with every core.
// Part 2 runs the detector over short, medium and long chat messages in
// several languages, and over their mix.
// Part 3 sends one cached French text to three languages through the
// in-process runtime (router → handler → cache), one request at a time,
// alternating rounds with the source named (`fr`) and with `auto`, so both
// run under the same machine noise.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>

#include "models/detection/source_detection.hpp"
#include "server/config_file.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/bench_driver.hpp"
#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/detection_accuracy.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

/// What `parley bench detect` was asked.
struct bench_detect_options {
  /// Seconds of detections per set of messages.
  size_t seconds = 2;
  /// Cached-path requests per round.
  size_t requests = 20000;
  size_t rounds = 5;
  /// The labelled short chat messages.
  std::string messages = "tests/data/short_chat_messages.tsv";
  std::string log_level = "warn";
};

const std::vector<std::string> short_messages = {
    "ok",
    "merci !",
    "¿dónde estás?",
    "danke schön",
    "спасибо",
    "lol",
    "see you tomorrow",
    "obrigado",
    "ciao a tutti",
    "好的",
    "👍",
    "تمام",
};

const std::vector<std::string> medium_messages = {
    "Je serai en retard ce soir, ne m'attendez pas pour le dîner.",
    "I will be late tonight, do not wait for me for dinner.",
    "Llegaré tarde esta noche, no me esperéis para cenar.",
    "Ich komme heute Abend später, wartet nicht mit dem Essen auf mich.",
    "Stasera farò tardi, non aspettatemi per cena.",
    "Vou chegar tarde hoje à noite, não esperem por mim para o jantar.",
    "Сегодня вечером я опоздаю, не ждите меня к ужину.",
    "سأتأخر الليلة، لا تنتظروني على العشاء.",
    "今晚我会晚点回来，不用等我吃晚饭。",
    "आज रात मुझे देर हो जाएगी, खाने पर मेरा इंतज़ार मत करना।",
};

const std::string long_french =
    "Bonjour à tous, je voulais vous donner des nouvelles du projet avant "
    "la réunion de jeudi. Nous avons terminé la première version du "
    "service de traduction, et les premiers essais avec les utilisateurs "
    "se sont bien passés. Il reste quelques problèmes avec les messages "
    "très courts et les émojis, mais nous pensons les régler la semaine "
    "prochaine. Pensez à lire le compte rendu avant de venir, et dites-moi "
    "si vous avez des questions ou des remarques sur le calendrier.";
const std::string long_english =
    "Hello everyone, I wanted to give you an update on the project before "
    "Thursday's meeting. We have finished the first version of the "
    "translation service, and the first trials with users went well. There "
    "are still a few problems with very short messages and emoji, but we "
    "expect to fix them next week. Please read the minutes before you come, "
    "and let me know if you have any questions or remarks about the "
    "schedule.";

struct speed {
  double per_second = 0;
  double mean_bytes = 0;
};

speed time_detections(const detect_function& detect,
                      const std::vector<std::string>& texts, double seconds) {
  size_t count = 0;
  size_t bytes = 0;
  auto begin = clock_type::now();
  auto deadline = begin + std::chrono::duration<double>(seconds);
  detection_context no_context;
  size_t sink = 0;
  while (clock_type::now() < deadline)
    for (const auto& text : texts) {
      sink += detect(text, no_context).language.size();
      ++count;
      bytes += text.size();
    }
  auto elapsed =
      std::chrono::duration<double>(clock_type::now() - begin).count();
  if (sink == 0)
    std::cerr << "parley bench: nothing was detected\n";
  return {count / elapsed, static_cast<double>(bytes) / count};
}

double median(std::vector<double> xs) {
  return percentile(std::move(xs), 50);
}

/// Detections per second over `texts` on `threads` threads at once.
double parallel_rate(const detect_function& detect,
                     const std::vector<std::string>& texts, double seconds,
                     size_t threads) {
  std::vector<double> rates(threads);
  std::vector<std::thread> workers;
  for (size_t i = 0; i < threads; ++i)
    workers.emplace_back([&, i] {
      rates[i] = time_detections(detect, texts, seconds).per_second;
    });
  for (auto& worker : workers)
    worker.join();
  return std::accumulate(rates.begin(), rates.end(), 0.0);
}

/// Part 1: accuracy on the labelled short messages, and their speed.
void report_short_messages(const detect_function& detect,
                           const std::vector<std::string>& candidates,
                           const std::string& path, double seconds) {
  auto messages = read_labelled_messages(path);
  auto parley = measure_accuracy(
      messages,
      [&](const std::string& text) {
        return detect(text, detection_context{}).language;
      },
      candidates);
  auto cld2 = measure_accuracy(messages, cld2_alone, candidates);
  std::printf("short chat messages: %zu from %s; * marks languages that are "
              "not candidates\n%s\n",
              messages.size(), path.c_str(),
              accuracy_table(parley, cld2).c_str());
  std::vector<std::string> texts;
  for (const auto& message : messages)
    texts.push_back(message.text);
  auto cores = std::max(1u, std::thread::hardware_concurrency());
  auto one = parallel_rate(detect, texts, seconds, 1);
  auto all = parallel_rate(detect, texts, seconds, cores);
  std::printf("short chat messages: %.0f detections/s on 1 thread, %.0f on "
              "%u threads (%.2fx)\n\n",
              one, all, cores, all / one);
}

int run_bench_detect(const bench_detect_options& options) {
  try {
    auto seconds = static_cast<double>(options.seconds);
    auto requests = std::max<size_t>(options.requests, 1);
    auto rounds = std::max<size_t>(options.rounds, 1);
    setup_logging(options.log_level);

    // Detection as `parley detect` runs it: the embedded default's
    // candidates (its Apertium pairs and the chat languages).
    auto defaults = parse_config("");
    auto candidates = configured_candidates(defaults.runtime);
    auto detect = make_detect_function(defaults.runtime.detection, candidates);
    report_short_messages(detect, candidates->snapshot(), options.messages,
                          seconds);

    // Part 2: the detector alone, by length.
    std::vector<std::string> mixed = short_messages;
    mixed.insert(mixed.end(), medium_messages.begin(), medium_messages.end());
    mixed.push_back(long_french);
    mixed.push_back(long_english);
    std::printf(
        "parley bench detect: Parley's detection (CLD2, then the candidates "
        "of short texts), %.0f s "
        "per set, one thread\n",
        seconds);
    std::printf("%-10s %8s %14s %10s\n", "messages", "bytes", "detections/s",
                "us each");
    auto report = [&](const char* name, const std::vector<std::string>& set) {
      auto measured = time_detections(detect, set, seconds);
      std::printf("%-10s %8.0f %14.0f %10.2f\n", name, measured.mean_bytes,
                  measured.per_second, 1e6 / measured.per_second);
    };
    report("short", short_messages);
    report("medium", medium_messages);
    report("long", {long_french, long_english});
    report("mix", mixed);

    // Part 3: the cached path with and without auto.
    auto cfg = parse_config("[models.bench]\nkind = \"echo\"\n");
    system_config sys_cfg{cfg.scheduler};
    caf::actor_system sys{sys_cfg};
    runtime rt{sys, cfg.runtime, backend_registry::builtin()};
    rt.wait_until_ready(std::chrono::seconds(30));
    translate_request named;
    named.source_lang = "fr";
    named.target_langs = {"es", "en", "ca"};
    named.text = medium_messages.front();
    auto automatic = named;
    automatic.source_lang = "auto";
    if (!warm_up(sys, rt.router(), named)
        || !warm_up(sys, rt.router(), automatic))
      return 1;
    std::printf("\ncached path: %zu requests per round, 1 in flight, 3 "
                "languages, %zu rounds each, alternating\n",
                requests, rounds);
    std::printf("%-8s %6s %12s %10s %10s\n", "source", "round", "requests/s",
                "p50 us", "p99 us");
    std::vector<double> p50[2], p99[2], rate[2];
    const char* names[2] = {"fr", "auto"};
    for (size_t round = 0; round < rounds; ++round)
      for (int variant = 0; variant < 2; ++variant) {
        auto result = drive_requests(
            sys, rt.router(), variant == 0 ? named : automatic, requests, 1);
        if (result.failures > 0) {
          std::cerr << "parley bench: " << result.failures << " failures\n";
          return 1;
        }
        p50[variant].push_back(percentile(result.latencies_us, 50));
        p99[variant].push_back(percentile(result.latencies_us, 99));
        rate[variant].push_back(requests / result.seconds);
        std::printf("%-8s %6zu %12.0f %10.1f %10.1f\n", names[variant],
                    round + 1, rate[variant].back(), p50[variant].back(),
                    p99[variant].back());
      }
    for (int variant = 0; variant < 2; ++variant)
      std::printf("%-8s %6s %12.0f %10.1f %10.1f\n", names[variant], "median",
                  median(rate[variant]), median(p50[variant]),
                  median(p99[variant]));
    std::printf("auto / fr: p50 %.2fx, p99 %.2fx; auto adds %.1f us at p50\n",
                median(p50[1]) / median(p50[0]),
                median(p99[1]) / median(p99[0]),
                median(p50[1]) - median(p50[0]));
    rt.shutdown(std::chrono::seconds(1));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_bench_detect_command(CLI::App& bench) {
  auto options = std::make_shared<bench_detect_options>();
  auto* command = bench.add_subcommand(
      "detect", "detections per second on short, medium and long messages, "
                "and p50/p99 of the cached path with and without "
                "sourceLanguage auto");
  add_count(*command, "--seconds", options->seconds,
            "how long each set of messages is detected")
      ->type_name("S");
  add_count(*command, "--requests", options->requests,
            "cached-path requests per round");
  add_count(*command, "--rounds", options->rounds,
            "rounds of each source, fr and auto, in turn");
  command
      ->add_option("--messages", options->messages,
                   "the labelled short chat messages (LANG<TAB>TEXT lines)")
      ->capture_default_str()
      ->type_name("TSV");
  add_log_level(*command, options->log_level);
  set_action(*command, [options] { return run_bench_detect(*options); });
}

} // namespace parley
