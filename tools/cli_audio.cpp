// `parley transcribe`, `parley speak` and `parley audio`: the speech jobs,
// in-process. transcribe and audio run the same actor graph as the server;
// speak calls the synthesizer and the encoder directly.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "server/runtime.hpp"
#include "io/audio_codec_actor.hpp"
#include "io/audio_encoder.hpp"
#include "io/config_file.hpp"
#include "io/system_config.hpp"
#include "messages/error_code.hpp"
#include "messages/speech.hpp"
#include "models/registry.hpp"
#include "tools/arguments.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

constexpr auto load_timeout = std::chrono::minutes(5);
/// Recordings at least this long show a progress bar on a terminal.
constexpr uint32_t progress_bar_ms = 5000;

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string format_ms(uint32_t ms) {
  char text[32];
  std::snprintf(text, sizeof(text), "%02u:%02u.%03u", ms / 60000,
                ms / 1000 % 60, ms % 1000);
  return text;
}

std::string extension_of(const std::string& mime_type) {
  if (mime_type == "audio/ogg")
    return "ogg";
  if (mime_type == "audio/mpeg")
    return "mp3";
  return "wav";
}

/// The configuration, plus `--whisper DIR`: a Whisper checkpoint that
/// takes over transcription (`--compute-type TYPE`, default auto;
/// `--quantize int8` is the legacy spelling of int8).
server_config load_config(const arguments& args) {
  auto overrides = args.all("set");
  auto cfg = args.has("config")
               ? load_config_file(args.get("config", ""), overrides)
               : parse_config("", overrides);
  if (args.has("whisper")) {
    model_config whisper;
    whisper.name = whisper.kind = "whisper";
    whisper.options.set("path", args.get("whisper", ""));
    whisper.options.set("quantize", args.get("quantize", "none"));
    whisper.options.set("compute_type", args.get("compute-type", "auto"));
    cfg.runtime.models.push_back(whisper);
    cfg.runtime.routes["transcription"] = whisper.name;
  }
  return cfg;
}

void draw_progress(const audio_progress& progress) {
  if (progress.total_ms < progress_bar_ms || isatty(STDERR_FILENO) == 0)
    return;
  constexpr int width = 30;
  auto fraction = static_cast<double>(progress.done_ms) / progress.total_ms;
  auto filled = static_cast<int>(fraction * width);
  std::fprintf(stderr, "\rtranscribing [%s%s] %3.0f%%",
               std::string(filled, '#').c_str(),
               std::string(width - filled, ' ').c_str(), fraction * 100);
  if (progress.done_ms >= progress.total_ms)
    std::fprintf(stderr, "\n");
}

/// Runs one audio request through the actor graph and collects its events.
struct audio_run {
  transcription heard;
  std::vector<audio_translated> spoken;
  audio_done done;
};

audio_run run_audio(const arguments& args, audio_request request) {
  auto cfg = load_config(args);
  setup_logging(args.get("log-level", "warn"));
  system_config sys_cfg{cfg.scheduler};
  caf::actor_system sys{sys_cfg};
  audio_limits limits;
  limits.max_bytes = cfg.gateway.max_audio_bytes;
  limits.max_seconds = cfg.gateway.max_audio_seconds;
  runtime rt{sys, cfg.runtime, backend_registry::builtin(),
             spawn_audio_codec(sys, limits)};
  rt.wait_until_ready(load_timeout);
  caf::scoped_actor self{sys};
  self->send(rt.router(), std::move(request),
             caf::actor_cast<audio_sink>(self.ptr()));
  audio_run run;
  bool finished = false;
  self->receive_while([&] { return !finished; })(
    [&](audio_progress& progress) { draw_progress(progress); },
    [&](audio_transcribed& event) { run.heard = std::move(event.result); },
    [&](audio_translated& event) { run.spoken.push_back(std::move(event)); },
    [&](audio_done& done) {
      run.done = std::move(done);
      finished = true;
    });
  rt.shutdown(std::chrono::seconds(1));
  return run;
}

void print_transcription(const transcription& heard) {
  std::cout << heard.text << '\n';
  for (const auto& segment : heard.segments)
    std::cout << "  [" << format_ms(segment.start_ms) << " -> "
              << format_ms(segment.end_ms) << "] " << segment.text << '\n';
  std::cerr << "parley: language " << heard.language << ", model "
            << heard.model << ", confidence " << heard.confidence << '\n';
}

int report_failure(const caf::error& reason) {
  std::cerr << "parley: " << to_string(code_of(reason)) << ": "
            << explanation_of(reason) << '\n';
  return 1;
}

} // namespace

int run_transcribe(int argc, char** argv) {
  try {
    arguments args{argc, argv, 2};
    args.expect_only({"language", "whisper", "quantize", "compute-type",
                      "config", "set",
                      "log-level"});
    if (args.positionals().size() != 1) {
      std::cerr << "usage: parley transcribe FILE [--language LANG] "
                   "[--whisper DIR [--compute-type TYPE]]\n";
      return 2;
    }
    audio_request request;
    request.id = 1;
    request.audio = read_file(args.positionals()[0]);
    request.language = args.get("language", "");
    auto run = run_audio(args, std::move(request));
    if (run.done.error)
      return report_failure(run.done.error);
    print_transcription(run.heard);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

int run_audio_pipeline(int argc, char** argv) {
  try {
    arguments args{argc, argv, 2};
    args.expect_only({"to", "language", "out", "format", "model", "whisper",
                      "quantize", "compute-type", "config", "set",
                      "log-level"});
    if (args.positionals().size() != 1 || !args.has("to")) {
      std::cerr << "usage: parley audio FILE --to LANG[,LANG...] [--out DIR] "
                   "[--format opus|mp3|wav]\n";
      return 2;
    }
    const auto& file = args.positionals()[0];
    audio_request request;
    request.id = 1;
    request.audio = read_file(file);
    request.language = args.get("language", "");
    request.model_type = args.get("model", "");
    request.output_format = args.get("format", "wav");
    for (const auto& list : args.all("to")) {
      std::stringstream items{list};
      for (std::string lang; std::getline(items, lang, ',');)
        if (!lang.empty())
          request.target_langs.push_back(lang);
    }
    auto run = run_audio(args, std::move(request));
    if (run.heard.text.empty() && run.done.error)
      return report_failure(run.done.error);
    print_transcription(run.heard);
    auto out_dir = std::filesystem::path{args.get("out", ".")};
    std::filesystem::create_directories(out_dir);
    auto stem = std::filesystem::path{file}.stem().string();
    for (const auto& spoken : run.spoken) {
      if (spoken.error) {
        std::cerr << "parley: " << spoken.target_lang << ": "
                  << to_string(code_of(spoken.error)) << ": "
                  << explanation_of(spoken.error) << '\n';
        continue;
      }
      auto path = out_dir
                  / (stem + "." + spoken.target_lang + "."
                     + extension_of(spoken.speech.mime_type));
      std::ofstream{path, std::ios::binary} << spoken.speech.bytes;
      std::cout << spoken.target_lang << ": " << spoken.text << "  -> "
                << path.string() << '\n';
    }
    return run.done.error ? report_failure(run.done.error) : 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

int run_speak(int argc, char** argv) {
  try {
    // `-o FILE` is accepted as well as `--out FILE`.
    std::vector<std::string> words(argv, argv + argc);
    for (auto& word : words)
      if (word == "-o")
        word = "--out";
    std::vector<char*> pointers;
    for (auto& word : words)
      pointers.push_back(word.data());
    arguments args{argc, pointers.data(), 2};
    args.expect_only({"lang", "out", "format", "kind"});
    auto out = args.get("out", "");
    if (args.positionals().empty() || !args.has("lang") || out.empty()) {
      std::cerr << "usage: parley speak --lang LANG TEXT... -o FILE "
                   "[--format wav|opus|mp3]\n";
      return 2;
    }
    std::string text;
    for (const auto& word : args.positionals())
      text += (text.empty() ? "" : " ") + word;
    auto kind = args.get("kind", "espeak");
    auto factory = backend_registry::builtin().find_synthesizer(kind);
    if (factory == nullptr)
      throw std::invalid_argument("no speech synthesizer of kind '" + kind + "'");
    auto spoken = factory(backend_options{})->synthesize(text, args.get("lang", ""));
    auto extension = std::filesystem::path{out}.extension().string();
    auto format = args.get("format", extension == ".mp3"    ? "mp3"
                                     : extension == ".ogg"  ? "opus"
                                     : extension == ".opus" ? "opus"
                                                            : "wav");
    auto encoded = encode_audio(spoken.samples,
                                static_cast<int>(spoken.sample_rate), format);
    std::ofstream{out, std::ios::binary} << encoded.bytes;
    std::cerr << "parley: " << spoken.samples.size() * 1000 / spoken.sample_rate
              << " ms of " << encoded.mime_type << " written to " << out << '\n';
    return 0;
  } catch (const unsupported_language& e) {
    std::cerr << "parley: UNSUPPORTED_LANGUAGE: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

} // namespace parley
