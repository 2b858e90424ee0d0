// `parley transcribe`, `parley speak` and `parley audio`: the speech jobs,
// in-process. transcribe and audio run the same actor graph as the server;
// speak calls the synthesizer and the encoder directly.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "io/media/audio_codec_actor.hpp"
#include "io/media/audio_encoder.hpp"
#include "messages/error_code.hpp"
#include "messages/speech.hpp"
#include "models/registry.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/config_options.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

constexpr auto load_timeout = std::chrono::minutes(5);
/// Recordings at least this long show a progress bar on a terminal.
constexpr uint32_t progress_bar_ms = 5000;

/// What `parley transcribe` and `parley audio` share.
struct speech_options {
  /// The recording.
  std::string file;
  /// The spoken language; empty: detected.
  std::string language;
  /// A Whisper checkpoint directory that takes over transcription.
  std::optional<std::string> whisper;
  /// The legacy spelling of `--compute-type int8`.
  std::string quantize = "none";
  std::string compute_type = "auto";
  config_options config;
  std::string log_level = "warn";
};

/// What `parley audio` was asked.
struct audio_options : speech_options {
  /// `--to` values, each a comma-separated list.
  std::vector<std::string> targets;
  std::string out = ".";
  std::string format = "wav";
  std::string model;
};

/// What `parley speak` was asked.
struct speak_options {
  std::vector<std::string> words;
  std::string lang;
  std::string out;
  /// Empty: from the output file's extension.
  std::optional<std::string> format;
  std::string kind = "espeak";
};

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
server_config speech_config(const speech_options& options) {
  auto cfg = load_config(options.config);
  if (options.whisper) {
    model_config whisper;
    whisper.name = whisper.kind = "whisper";
    whisper.options.set("path", *options.whisper);
    whisper.options.set("quantize", options.quantize);
    whisper.options.set("compute_type", options.compute_type);
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

audio_run run_audio(const speech_options& options, audio_request request) {
  auto cfg = speech_config(options);
  setup_logging(options.log_level);
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

int run_transcribe(const speech_options& options) {
  try {
    audio_request request;
    request.id = 1;
    request.audio = read_file(options.file);
    request.language = options.language;
    auto run = run_audio(options, std::move(request));
    if (run.done.error)
      return report_failure(run.done.error);
    print_transcription(run.heard);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

int run_audio_pipeline(const audio_options& options) {
  try {
    const auto& file = options.file;
    audio_request request;
    request.id = 1;
    request.audio = read_file(file);
    request.language = options.language;
    request.model_type = options.model;
    request.output_format = options.format;
    for (const auto& list : options.targets) {
      std::stringstream items{list};
      for (std::string lang; std::getline(items, lang, ',');)
        if (!lang.empty())
          request.target_langs.push_back(lang);
    }
    auto run = run_audio(options, std::move(request));
    if (run.heard.text.empty() && run.done.error)
      return report_failure(run.done.error);
    print_transcription(run.heard);
    auto out_dir = std::filesystem::path{options.out};
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

int run_speak(const speak_options& options) {
  try {
    const auto& out = options.out;
    std::string text;
    for (const auto& word : options.words)
      text += (text.empty() ? "" : " ") + word;
    const auto& kind = options.kind;
    auto factory =
        backend_registry::builtin().factory_of<synthesis_factory>(kind);
    if (factory == nullptr)
      throw std::invalid_argument("no speech synthesizer of kind '" + kind
                                  + "'");
    auto spoken = factory(backend_options{})->synthesize(text, options.lang);
    auto extension = std::filesystem::path{out}.extension().string();
    auto format = options.format.value_or(extension == ".mp3"    ? "mp3"
                                          : extension == ".ogg"  ? "opus"
                                          : extension == ".opus" ? "opus"
                                                                 : "wav");
    auto encoded = encode_audio(spoken.samples,
                                static_cast<int>(spoken.sample_rate), format);
    std::ofstream{out, std::ios::binary} << encoded.bytes;
    std::cerr << "parley: " << spoken.samples.size() * 1000 / spoken.sample_rate
              << " ms of " << encoded.mime_type << " written to " << out
              << '\n';
    return 0;
  } catch (const unsupported_language& e) {
    std::cerr << "parley: UNSUPPORTED_LANGUAGE: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

/// The recording and the options of transcription, as `transcribe` and
/// `audio` both take them.
void add_speech_options(CLI::App& command, speech_options& options) {
  command.add_option("FILE", options.file, "the recording")
      ->type_name("")
      ->required();
  command
      .add_option("--language", options.language,
                  "the spoken language (default: detected)")
      ->type_name("LANG");
  command
      .add_option("--whisper", options.whisper,
                  "transcribe with the Whisper checkpoint in DIR (default: "
                  "the configured recognizer, PocketSphinx)")
      ->type_name("DIR");
  command
      .add_option("--compute-type", options.compute_type,
                  "with --whisper: auto, float32, bfloat16, int8, "
                  "int8_bfloat16")
      ->type_name("TYPE")
      ->capture_default_str();
  command
      .add_option("--quantize", options.quantize,
                  "with --whisper: int8 is the legacy spelling of "
                  "--compute-type int8")
      ->type_name("none|int8")
      ->capture_default_str();
  add_config_options(command, options.config);
  add_log_level(command, options.log_level);
}

} // namespace

void add_transcribe_command(CLI::App& parley) {
  auto options = std::make_shared<speech_options>();
  auto* command = parley.add_subcommand(
      "transcribe", "print the text of a recording with its segments "
                    "(PocketSphinx, or the Whisper checkpoint in DIR)");
  add_speech_options(*command, *options);
  set_action(*command, [options] { return run_transcribe(*options); });
}

void add_audio_command(CLI::App& parley) {
  auto options = std::make_shared<audio_options>();
  auto* command = parley.add_subcommand(
      "audio", "transcribe, translate and speak: one audio file per language");
  add_repeated(*command, "--to", options->targets,
               "the target languages, comma-separated; may repeat")
      ->type_name("LANG[,LANG...]")
      ->required();
  add_speech_options(*command, *options);
  command
      ->add_option("--out", options->out,
                   "the directory of the audio files, FILE's name with the "
                   "language added")
      ->type_name("DIR")
      ->capture_default_str();
  command->add_option("--format", options->format, "wav, opus or mp3")
      ->type_name("FORMAT")
      ->capture_default_str();
  command
      ->add_option("--model", options->model,
                   "the translation model, as a request's modelType")
      ->type_name("NAME");
  set_action(*command, [options] { return run_audio_pipeline(*options); });
}

void add_speak_command(CLI::App& parley) {
  auto options = std::make_shared<speak_options>();
  auto* command =
      parley.add_subcommand("speak", "synthesize speech with espeak-ng");
  command->add_option("--lang", options->lang, "the language to speak")
      ->type_name("LANG")
      ->required();
  command->add_option("-o,--out", options->out, "the audio file to write")
      ->type_name("FILE")
      ->required();
  command
      ->add_option("--format", options->format,
                   "wav, opus or mp3 (default: from FILE's extension: .mp3, "
                   ".ogg or .opus, else wav)")
      ->type_name("FORMAT");
  command->add_option("--kind", options->kind, "the speech synthesizer's kind")
      ->type_name("KIND")
      ->capture_default_str();
  command->add_option("TEXT", options->words, "the text to speak")
      ->type_name("")
      ->required();
  set_action(*command, [options] { return run_speak(*options); });
}

} // namespace parley
