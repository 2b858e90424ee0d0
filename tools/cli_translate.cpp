// `parley translate`: runs the same actor graph as the server, in-process.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>
#include <utility>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/error_code.hpp"
#include "messages/translation.hpp"
#include "models/load_progress.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/checkpoint_kinds.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/config_options.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

constexpr auto load_timeout = std::chrono::minutes(5);

/// What `parley translate` was asked.
struct translate_options {
  std::string from;
  std::vector<std::string> targets;
  /// The text, as words; none or `-` reads standard input.
  std::vector<std::string> words;
  /// A configured model, or a checkpoint directory.
  std::string model;
  std::string compute_type = "auto";
  std::vector<std::string> hints;
  config_options config;
  std::string log_level = "warn";
};

std::string join_route(const std::vector<std::string>& route) {
  std::string result;
  for (const auto& lang : route)
    result += (result.empty() ? "" : "→") + lang;
  return result;
}

std::string read_text(const std::vector<std::string>& words) {
  if (words.empty() || (words.size() == 1 && words[0] == "-"))
    return {std::istreambuf_iterator<char>(std::cin),
            std::istreambuf_iterator<char>()};
  std::string text;
  for (const auto& word : words)
    text += (text.empty() ? "" : " ") + word;
  return text;
}

/// Prints the answers in the order the languages were asked; returns the
/// exit status (1 when any language failed).
int print_answers(const std::vector<std::string>& targets,
                  std::map<std::string, translation>& done,
                  std::map<std::string, caf::error>& failed) {
  int status = 0;
  for (const auto& [target, reason] : failed) {
    std::cerr << "parley: " << (target.empty() ? "request" : target) << ": "
              << to_string(code_of(reason)) << ": " << explanation_of(reason)
              << '\n';
    status = 1;
  }
  for (const auto& target : targets) {
    auto answer = done.find(target);
    if (answer == done.end())
      continue;
    const auto& result = answer->second;
    if (result.route.size() > 2)
      std::cerr << "parley: " << target << ": pivot "
                << join_route(result.route) << '\n';
    if (targets.size() > 1)
      std::cout << target << ": ";
    std::cout << result.text << '\n';
  }
  return status;
}

/// `--model DIR` names a checkpoint: serve it with the translation kind that
/// loads its model_type, in `compute_type`, and send every request to it.
void use_checkpoint(server_config& cfg, const backend_registry& kinds,
                    const std::string& dir, const std::string& compute_type) {
  auto model = checkpoint_model(kinds, dir);
  model.options.set("compute_type", compute_type);
  cfg.runtime.models = {model};
  cfg.runtime.routes = {{"default", model.name}};
}

/// Draws loading progress as a bar on a terminal.
void draw_progress_bar() {
  if (isatty(STDERR_FILENO) == 0)
    return;
  set_load_progress_listener(
      [](const std::string& model, double fraction, const std::string& step) {
        constexpr int width = 30;
        auto filled = static_cast<int>(fraction * width);
        std::fprintf(stderr, "\rloading [%s%s] %3.0f%% %-24.24s",
                     std::string(filled, '#').c_str(),
                     std::string(width - filled, ' ').c_str(), fraction * 100,
                     step.c_str());
        if (fraction >= 1)
          std::fprintf(stderr, "\n");
      });
}

int run_translate(const translate_options& options) {
  try {
    const auto& targets = options.targets;
    auto cfg = load_config(options.config);
    setup_logging(options.log_level);
    const auto& model = options.model;
    bool checkpoint =
        !model.empty() && std::filesystem::exists(model + "/config.json");
    auto kinds = backend_registry::builtin();
    if (checkpoint) {
      use_checkpoint(cfg, kinds, model, options.compute_type);
      draw_progress_bar();
    }
    system_config sys_cfg{cfg.scheduler};
    caf::actor_system sys{sys_cfg};
    runtime rt{sys, cfg.runtime, kinds};
    rt.wait_until_ready(load_timeout);
    caf::scoped_actor self{sys};
    translate_request request{1,
                              checkpoint ? std::string{} : model,
                              options.from,
                              targets,
                              read_text(options.words),
                              lane::interactive,
                              options.hints,
                              {},
                              {}};
    self->send(rt.router(), std::move(request),
               caf::actor_cast<translation_sink>(self.ptr()));
    std::map<std::string, translation> done;
    std::map<std::string, caf::error> failed;
    bool finished = false;
    bool detection_shown = false;
    self->receive_while([&] { return !finished; })(
        [&](translation& result) {
          if (result.detection.method != detection_method::none
              && !std::exchange(detection_shown, true))
            std::cerr << "parley: source " << result.source_lang << " ("
                      << to_string(result.detection.method) << ", confidence "
                      << result.detection.confidence << ")\n";
          auto target = result.target_lang;
          done.emplace(target, std::move(result));
        },
        [&](translation_failure& failure) {
          failed.emplace(failure.target_lang, std::move(failure.reason));
        },
        [&](translation_done&) { finished = true; });
    auto status = print_answers(targets, done, failed);
    rt.shutdown(std::chrono::seconds(1));
    return status;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_translate_command(CLI::App& parley) {
  auto options = std::make_shared<translate_options>();
  auto* command = parley.add_subcommand(
      "translate", "translate TEXT (or standard input) in-process; with --from "
                   "auto the source language is detected and named on standard "
                   "error");
  command->add_option("--from", options->from, "the source language, or auto")
      ->type_name("LANG|auto")
      ->required();
  add_repeated(*command, "--to", options->targets,
               "a target language; repeat it for several (--to es --to fr)")
      ->type_name("LANG")
      ->required();
  command
      ->add_option("--model", options->model,
                   "a configured model, or a checkpoint directory of a "
                   "translation kind, such as NLLB")
      ->type_name("NAME|DIR");
  command
      ->add_option("--compute-type", options->compute_type,
                   "with a checkpoint: auto, float32, bfloat16, int8, "
                   "int8_bfloat16")
      ->type_name("TYPE")
      ->capture_default_str();
  add_repeated(*command, "--hint", options->hints,
               "a likely source language, for --from auto; may repeat")
      ->type_name("LANG");
  add_config_options(*command, options->config);
  add_log_level(*command, options->log_level);
  command
      ->add_option("TEXT", options->words,
                   "the text to translate (none, or -: standard input)")
      ->type_name("");
  set_action(*command, [options] { return run_translate(*options); });
}

} // namespace parley
