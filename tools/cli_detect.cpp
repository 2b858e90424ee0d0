// `parley detect`: the source-language detection of "auto" requests, for
// operators and tests.

#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "actors/request_validation.hpp"
#include "io/http/detection_json.hpp"
#include "messages/error_code.hpp"
#include "models/detection/source_detection.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/config_options.hpp"
#include "tools/detection_accuracy.hpp"

namespace parley {

namespace {

/// What `parley detect` was asked.
struct detect_options {
  /// The text, as words; none or `-` reads standard input.
  std::vector<std::string> words;
  std::vector<std::string> hints;
  bool json = false;
  config_options config;
};

int run_detect(const detect_options& options) {
  try {
    auto cfg = load_config(options.config);
    std::string text;
    const auto& words = options.words;
    if (words.empty() || (words.size() == 1 && words[0] == "-"))
      text.assign(std::istreambuf_iterator<char>(std::cin),
                  std::istreambuf_iterator<char>());
    for (const auto& word : words)
      if (word != "-")
        text += (text.empty() ? "" : " ") + word;
    if (auto bad = validate_text(text, cfg.runtime.max_text_chars)) {
      std::cerr << "parley: " << to_string(code_of(bad)) << ": "
                << explanation_of(bad) << '\n';
      return 2;
    }
    // No model runs here: the candidates are the configured languages and
    // the source languages of the Apertium pairs the configuration serves.
    auto detect = make_detect_function(cfg.runtime.detection,
                                       configured_candidates(cfg.runtime));
    if (!detect) {
      std::cerr << "parley: language detection is off (detection.engine)\n";
      return 2;
    }
    auto result = detect(text, {options.hints, {}});
    if (options.json) {
      std::cout << detection_json(result).dump() << '\n';
    } else {
      std::cout << (result.language.empty() ? "und" : result.language) << '\n';
      std::cerr << "parley: method " << to_string(result.method)
                << ", confidence " << result.confidence << ", "
                << (result.reliable ? "reliable" : "unreliable")
                << (result.script.empty() ? "" : ", script " + result.script)
                << ": " << result.note << '\n';
      if (!result.candidates.empty()) {
        std::cerr << "parley: candidates";
        for (const auto& candidate : result.candidates)
          std::cerr << ' ' << candidate.language << ' ' << candidate.score;
        std::cerr << '\n';
      }
    }
    return result.language.empty() ? 1 : 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_detect_command(CLI::App& parley) {
  auto options = std::make_shared<detect_options>();
  auto* command = parley.add_subcommand(
      "detect",
      "print the language \"auto\" would detect for TEXT (or standard "
      "input), and how it was decided; exit status 1 when "
      "undetermined");
  add_repeated(*command, "--hint", options->hints,
               "a likely language, as a request's hints; may repeat")
      ->type_name("LANG");
  command->add_flag("--json", options->json,
                    "print the whole decision as JSON");
  add_config_options(*command, options->config);
  command
      ->add_option("TEXT", options->words,
                   "the text (none, or -: standard input)")
      ->type_name("");
  set_action(*command, [options] { return run_detect(*options); });
}

} // namespace parley
