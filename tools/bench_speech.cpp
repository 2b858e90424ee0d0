// `parley bench speech`: real-time factors of the speech recognizers, then
// text-translation latency alone and while audio_process jobs saturate the
// machine, side by side in one run.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "io/media/audio_codec_actor.hpp"
#include "io/media/audio_decoder.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "models/registry.hpp"
#include "server/config_file.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/bench_compute.hpp"
#include "tools/bench_stats.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"
#include "tools/subprocess.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

/// What `parley bench speech` was asked.
struct bench_speech_options {
  /// Whisper checkpoints whose real-time factors are measured.
  std::vector<std::string> whisper;
  /// Graphs of tools/ort_peer/export_whisper.py, the i-th for the i-th
  /// --whisper; none: no ONNX Runtime row.
  std::vector<std::string> onnx;
  std::string recording =
      std::string{PARLEY_SOURCE_DIR} + "/../shared/fixtures/audio/jfk.wav";
  std::string mel_filters =
      std::string{PARLEY_SOURCE_DIR}
      + "/../shared/fixtures/whisper-tiny/mel_filters.npz";
  size_t rounds = 3;
  size_t threads = 2;
  /// Random weights rarely emit end-of-text, so the decode length is fixed:
  /// 32 tokens is about what a real checkpoint writes for jfk.wav.
  size_t decode_tokens = 32;
  bool no_reference = false;
  bool no_load = false;
  /// Seconds of text requests, alone and then under load.
  size_t seconds = 20;
  size_t interval_ms = 50;
  size_t audio_jobs = 2;
  /// The Whisper checkpoint the audio load transcribes with; unset: the
  /// configured recognizer.
  std::optional<std::string> load_whisper;
  /// Comma-separated; empty: transcription only.
  std::string audio_targets = "es,fr";
  std::string log_level = "warn";
};

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Median seconds of `rounds` transcriptions of `samples` after a warm-up.
double time_recognizer(transcription_backend& recognizer,
                       const std::vector<float>& samples, int rounds) {
  audio_window window{samples, 0, "en", true};
  recognizer.transcribe(window);
  std::vector<double> times;
  for (int i = 0; i < rounds; ++i) {
    auto start = clock_type::now();
    recognizer.transcribe(window);
    times.push_back(seconds_since(start));
  }
  return percentile(times, 50);
}

void print_rtf(const std::string& config, double seconds, double audio) {
  std::printf("rtf %-28s %8.3f  (%.2f s for %.1f s of audio)\n", config.c_str(),
              seconds / audio, seconds, audio);
}

/// A new text every time, so the cache never answers.
translate_request text_request(uint64_t id) {
  translate_request request;
  request.id = id;
  request.source_lang = "en";
  request.target_langs = {"es"};
  request.text = "Message " + std::to_string(id)
                 + ": the meeting starts at nine tomorrow morning.";
  return request;
}

/// Sends one text every `interval` for `seconds`, each after the previous
/// answer, as a chat user would; returns each latency in milliseconds.
std::vector<double> text_latencies(caf::actor_system& sys,
                                   const router_actor& router, double seconds,
                                   std::chrono::milliseconds interval,
                                   uint64_t first_id) {
  caf::scoped_actor self{sys};
  std::vector<double> latencies;
  auto end = clock_type::now() + std::chrono::duration<double>(seconds);
  for (auto id = first_id; clock_type::now() < end; ++id) {
    auto next = clock_type::now() + interval;
    auto start = clock_type::now();
    self->send(router, text_request(id),
               caf::actor_cast<translation_sink>(self.ptr()));
    bool done = false;
    self->receive_while([&] { return !done; })(
        [](translation&) {}, [](translation_failure&) {},
        [&](translation_done&) { done = true; });
    latencies.push_back(seconds_since(start) * 1e3);
    std::this_thread::sleep_until(next);
  }
  return latencies;
}

struct audio_load_counts {
  std::atomic<int> completed{0};
  std::atomic<int> failed{0};
};

/// Keeps one audio_process job (the recording, to `targets`; none is
/// transcription only) in flight until `stop`, as the gateway sends them.
void audio_load(caf::actor_system& sys, const router_actor& router,
                const std::string& recording,
                const std::vector<std::string>& targets,
                const std::atomic<bool>& stop, audio_load_counts& counts) {
  caf::scoped_actor self{sys};
  for (uint64_t id = 1; !stop; ++id) {
    audio_request request;
    request.id = id;
    request.audio = recording;
    // Random checkpoints detect random languages; the gateway's users speak
    // English here.
    request.language = "en";
    request.target_langs = targets;
    request.output_format = "opus";
    self->send(router, std::move(request),
               caf::actor_cast<audio_sink>(self.ptr()));
    bool done = false;
    self->receive_while([&] { return !done; })(
        [](audio_progress&) {}, [](audio_transcribed&) {},
        [](audio_translated&) {},
        [&](audio_done& result) {
          ++(result.error ? counts.failed : counts.completed);
          if (result.error)
            std::fprintf(stderr, "audio job failed: %s\n",
                         caf::to_string(result.error).c_str());
          done = true;
        });
  }
}

/// The plain-PyTorch Whisper (tools/whisper_reference.py) on the same
/// checkpoint, recording and decode length: median seconds of one 30 s
/// window.
double time_reference(const std::string& dir, const std::string& wav,
                      const std::string& mel_filters, int rounds,
                      const std::string& threads,
                      const std::string& decode_tokens) {
  auto result = run_command(
      {"/usr/bin/python3",
       std::string{PARLEY_SOURCE_DIR} + "/tools/whisper_reference.py", "bench",
       dir, wav, mel_filters, decode_tokens, threads, std::to_string(rounds)});
  if (result.exit_status != 0)
    throw std::runtime_error("the Whisper reference failed:\n" + result.err);
  return nlohmann::json::parse(result.out)["seconds"].get<double>();
}

/// ONNX Runtime (tools/ort_peer/bench_whisper_ort.js) on `onnx_dir`, an
/// export of the same checkpoint, timed the same way: median seconds of one
/// 30 s window. The peer first reproduces the reference's logits.
double time_onnx_runtime(const std::string& onnx_dir, const std::string& wav,
                         int rounds, const std::string& threads,
                         const std::string& decode_tokens) {
  auto result = run_command(
      {"/usr/bin/env", "node",
       std::string{PARLEY_SOURCE_DIR} + "/tools/ort_peer/bench_whisper_ort.js",
       onnx_dir, wav, decode_tokens, threads, std::to_string(rounds)});
  if (result.exit_status != 0)
    throw std::runtime_error("the ONNX Runtime peer failed:\n" + result.err);
  auto parsed = nlohmann::json::parse(result.out);
  std::printf("onnxruntime %s: logits within %.2g of the reference's\n",
              parsed.value("version", "?").c_str(),
              parsed["max_logit_diff"].get<double>());
  return parsed["seconds"].get<double>();
}

/// What the Whisper timings need besides the checkpoints.
struct whisper_timing {
  std::string wav;
  std::string mel_filters;
  int rounds = 3;
  std::string threads;
  std::string decode_tokens;
  bool reference = true;
  /// ONNX exports, the i-th of the i-th checkpoint.
  std::vector<std::string> onnx;
};

/// Prints the real-time factor of each Whisper checkpoint, in every compute
/// type this CPU runs fast and for the plain-PyTorch reference, and of
/// PocketSphinx, on `recording`.
void report_real_time_factors(const backend_registry& registry,
                              const std::vector<std::string>& whisper_dirs,
                              const decoded_audio& recording,
                              const whisper_timing& timing) {
  auto duration = recording.duration_seconds;
  auto types =
      whisper_dirs.empty() ? std::vector<std::string>{} : fast_compute_types();
  for (size_t i = 0; i < whisper_dirs.size(); ++i) {
    const auto& dir = whisper_dirs[i];
    auto name = "whisper " + std::filesystem::path{dir}.filename().string();
    std::vector<std::pair<std::string, double>> parley;
    for (const auto& type : types) {
      backend_options options{{{"path", dir},
                               {"compute_type", type},
                               {"threads", timing.threads},
                               {"max_new_tokens", timing.decode_tokens}}};
      auto whisper =
          registry.factory_of<transcription_factory>("whisper")(options);
      auto seconds =
          time_recognizer(*whisper, recording.samples, timing.rounds);
      print_rtf(name + " " + type, seconds, duration);
      parley.emplace_back(type, seconds);
    }
    std::optional<double> reference;
    if (timing.reference) {
      reference =
          time_reference(dir, timing.wav, timing.mel_filters, timing.rounds,
                         timing.threads, timing.decode_tokens);
      print_rtf(name + " pytorch reference", *reference, duration);
    }
    std::optional<double> onnx;
    if (i < timing.onnx.size()) {
      onnx = time_onnx_runtime(timing.onnx[i], timing.wav, timing.rounds,
                               timing.threads, timing.decode_tokens);
      print_rtf(name + " onnxruntime float32", *onnx, duration);
    }
    for (const auto& [type, seconds] : parley) {
      if (!reference && !onnx)
        break;
      std::printf("    %s %s: real-time factor", name.c_str(), type.c_str());
      if (reference)
        std::printf(" %.2fx better than the reference", *reference / seconds);
      if (onnx)
        std::printf("%s %.2fx better than onnxruntime float32",
                    reference ? "," : "", *onnx / seconds);
      std::printf("\n");
    }
    if (reference && onnx)
      std::printf("    %s onnxruntime float32: real-time factor %.2fx better "
                  "than the reference\n",
                  name.c_str(), *reference / *onnx);
  }
  auto sphinx = registry.factory_of<transcription_factory>("pocketsphinx")(
      backend_options{});
  print_rtf("pocketsphinx en-us",
            time_recognizer(*sphinx, recording.samples, timing.rounds),
            duration);
}

/// The load's target languages from a comma-separated list.
std::vector<std::string> split_languages(const std::string& list) {
  std::vector<std::string> languages;
  std::stringstream items{list};
  for (std::string lang; std::getline(items, lang, ',');)
    if (!lang.empty())
      languages.push_back(lang);
  return languages;
}

int run_bench_speech(const bench_speech_options& options) {
  try {
    setup_logging(options.log_level);
    const auto& path = options.recording;
    auto recording_bytes = [&] {
      std::ifstream in{path, std::ios::binary};
      std::stringstream bytes;
      bytes << in.rdbuf();
      return bytes.str();
    }();
    auto decoded = decode_audio(recording_bytes);
    auto duration = decoded.duration_seconds;
    auto rounds = static_cast<int>(options.rounds);
    auto threads = std::to_string(options.threads);
    auto decode_tokens = std::to_string(options.decode_tokens);
    auto registry = backend_registry::builtin();
    std::printf("parley bench speech: %s (%.1f s)\n", path.c_str(), duration);
    print_compute_header();

    whisper_timing timing;
    timing.wav = path;
    timing.mel_filters = options.mel_filters;
    timing.rounds = rounds;
    timing.threads = threads;
    timing.decode_tokens = decode_tokens;
    timing.reference = !options.no_reference;
    timing.onnx = options.onnx;
    if (options.onnx.size() > options.whisper.size())
      throw std::invalid_argument("more --onnx than --whisper: each export "
                                  "goes with the checkpoint in the same place");
    report_real_time_factors(registry, options.whisper, decoded, timing);
    if (options.no_load)
      return 0;

    // Text latency alone, then under audio load.
    auto cfg = parse_config("");
    if (options.load_whisper) {
      // The audio load transcribes with Whisper, which uses every core.
      model_config whisper;
      whisper.name = whisper.kind = "whisper";
      whisper.options = backend_options{{{"path", *options.load_whisper},
                                         {"threads", threads},
                                         {"max_new_tokens", decode_tokens}}};
      cfg.runtime.models.push_back(whisper);
      cfg.runtime.routes["transcription"] = "whisper";
    }
    // Every load job must be real work: with the audio cache on, all but the
    // first job of the same recording would be answered from it.
    cfg.runtime.audio_cache_capacity = 0;
    std::printf("audio load transcribes with %s, audio cache off\n",
                cfg.runtime.routes["transcription"].c_str());
    system_config sys_cfg{cfg.scheduler};
    caf::actor_system sys{sys_cfg};
    runtime rt{sys, cfg.runtime, registry, spawn_audio_codec(sys, {})};
    rt.wait_until_ready(std::chrono::minutes(2));
    auto seconds = static_cast<double>(options.seconds);
    std::chrono::milliseconds interval{options.interval_ms};
    text_latencies(sys, rt.router(), 1, interval, 1'000'000); // warm-up
    auto alone = text_latencies(sys, rt.router(), seconds, interval, 0);
    std::atomic<bool> stop{false};
    audio_load_counts counts;
    std::vector<std::thread> load;
    auto audio_jobs = options.audio_jobs;
    // Empty: transcription only.
    auto targets = split_languages(options.audio_targets);
    auto load_start = clock_type::now();
    for (size_t i = 0; i < audio_jobs; ++i)
      load.emplace_back([&] {
        audio_load(sys, rt.router(), recording_bytes, targets, stop, counts);
      });
    // Let the load build up before measuring.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto loaded = text_latencies(sys, rt.router(), seconds, interval, 500'000);
    stop = true;
    for (auto& thread : load)
      thread.join();
    auto load_seconds = seconds_since(load_start);
    std::printf("text alone          p50 %8.2f ms  p95 %8.2f ms  (%zu requests "
                "in %.0f s)\n",
                percentile(alone, 50), percentile(alone, 95), alone.size(),
                seconds);
    std::printf("text under audio    p50 %8.2f ms  p95 %8.2f ms  (%zu requests "
                "in %.0f s; %zu audio_process jobs always in flight: %d "
                "completed, %d failed)\n",
                percentile(loaded, 50), percentile(loaded, 95), loaded.size(),
                seconds, audio_jobs, counts.completed.load(),
                counts.failed.load());
    std::printf("p95 under load / p95 alone: %.2f (target <= 1.5); audio "
                "load %.2f jobs/s (%d in %.1f s)\n",
                percentile(loaded, 95) / percentile(alone, 95),
                counts.completed.load() / load_seconds, counts.completed.load(),
                load_seconds);
    rt.shutdown(std::chrono::seconds(30));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley bench: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_bench_speech_command(CLI::App& bench) {
  auto options = std::make_shared<bench_speech_options>();
  auto* command = bench.add_subcommand(
      "speech",
      "real-time factor of each recognizer (Whisper in every compute "
      "type this CPU runs fast, beside tools/whisper_reference.py and, "
      "with --onnx, ONNX Runtime); "
      "text latency alone and while audio_process jobs saturate the "
      "machine (skipped with --no-load)");
  add_repeated(*command, "--whisper", options->whisper,
               "a Whisper checkpoint to time; may repeat")
      ->type_name("DIR");
  add_repeated(*command, "--onnx", options->onnx,
               "also time ONNX Runtime on these graphs (tools/ort_peer/"
               "export_whisper.py), an export of the --whisper checkpoint in "
               "the same place; may repeat")
      ->type_name("DIR");
  command->add_option("--recording", options->recording, "the audio to time")
      ->type_name("FILE")
      ->capture_default_str();
  command
      ->add_option("--mel-filters", options->mel_filters,
                   "the mel filters the Whisper reference reads")
      ->type_name("NPZ")
      ->capture_default_str();
  add_count(*command, "--rounds", options->rounds,
            "timed transcriptions per recognizer (the median is shown)");
  add_count(*command, "--threads", options->threads,
            "threads of Whisper and of its reference");
  add_count(*command, "--decode-tokens", options->decode_tokens,
            "tokens Whisper decodes per window (fixed: random weights "
            "rarely end)");
  command->add_flag("--no-reference", options->no_reference,
                    "skip the PyTorch reference");
  command->add_flag("--no-load", options->no_load,
                    "stop after the real-time factors");
  add_count(*command, "--seconds", options->seconds,
            "how long text latency is measured, alone and under load")
      ->type_name("S");
  add_count(*command, "--interval-ms", options->interval_ms,
            "the pause between text requests")
      ->type_name("MS");
  add_count(*command, "--audio-jobs", options->audio_jobs,
            "audio_process jobs always in flight during the load");
  command
      ->add_option("--load-whisper", options->load_whisper,
                   "the audio load transcribes with this Whisper checkpoint "
                   "(default: the configured recognizer)")
      ->type_name("DIR");
  command
      ->add_option("--audio-targets", options->audio_targets,
                   "the load's target languages, comma-separated (empty: "
                   "transcription only)")
      ->type_name("LANG,LANG...")
      ->capture_default_str();
  add_log_level(*command, options->log_level);
  set_action(*command, [options] { return run_bench_speech(*options); });
}

} // namespace parley
