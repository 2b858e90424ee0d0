// The parley command-line tool: one subcommand per job. `parley --help` lists
// them; `parley COMMAND --help` describes one.

#include <iostream>

#include <CLI/CLI.hpp>

#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/openmp_env.hpp"

namespace {

/// `parley bench` and its benchmarks; its description lists them.
void add_bench_commands(CLI::App& parley) {
  auto* bench = parley.add_subcommand("bench");
  bench->require_subcommand(1);
  parley::add_bench_detect_command(*bench);
  parley::add_bench_cache_command(*bench);
  parley::add_bench_model_command(*bench);
  parley::add_bench_speech_command(*bench);
  parley::add_bench_pool_command(*bench);
  parley::add_bench_zmq_command(*bench);
  parley::add_bench_http_command(*bench);
  parley::add_bench_cluster_command(*bench);
  std::string names;
  for (const auto* benchmark : bench->get_subcommands({}))
    names += (names.empty() ? "" : ", ") + benchmark->get_name();
  bench->description("benchmarks: " + names
                     + " (parley bench BENCHMARK --help describes one)");
}

} // namespace

int main(int argc, char** argv) {
  parley::ensure_passive_openmp(argv);
  CLI::App app{"Parley's jobs, run in-process, and its benchmarks", "parley"};
  parley::setup_command_line(app, "parley " PARLEY_VERSION);
  app.require_subcommand(1);
  parley::add_translate_command(app);
  parley::add_detect_command(app);
  parley::add_transcribe_command(app);
  parley::add_speak_command(app);
  parley::add_audio_command(app);
  parley::add_golden_command(app);
  add_bench_commands(app);
  parley::add_cluster_command(app);
  parley::add_kinds_command(app);
  parley::add_make_checkpoint_command(app);
  // After the commands, which would inherit it.
  app.footer("parley COMMAND --help describes a command.");
  if (argc < 2) {
    std::cout << app.help();
    return parley::usage_error_status;
  }
  return parley::run_command_line(app, argc, argv);
}
