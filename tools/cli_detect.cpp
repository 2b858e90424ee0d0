// `parley detect`: the source-language detection of "auto" requests, for
// operators and tests.

#include <iostream>
#include <iterator>
#include <string>

#include "actors/request_validation.hpp"
#include "io/config_file.hpp"
#include "io/detection_json.hpp"
#include "messages/error_code.hpp"
#include "models/detection/source_detection.hpp"
#include "tools/arguments.hpp"
#include "tools/commands.hpp"

namespace parley {

int run_detect(int argc, char** argv) {
  try {
    arguments args{argc, argv, 2, {"json"}};
    args.expect_only({"hint", "config", "set", "json"});
    auto overrides = args.all("set");
    auto cfg = args.has("config")
                 ? load_config_file(args.get("config", ""), overrides)
                 : parse_config("", overrides);
    std::string text;
    const auto& words = args.positionals();
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
    auto detect = make_detect_function(cfg.runtime.detection);
    if (!detect) {
      std::cerr << "parley: language detection is off (detection.engine)\n";
      return 2;
    }
    auto result = detect(text, args.all("hint"));
    if (args.has("json")) {
      std::cout << detection_json(result).dump() << '\n';
    } else {
      std::cout << (result.language.empty() ? "und" : result.language) << '\n';
      std::cerr << "parley: method " << to_string(result.method)
                << ", confidence " << result.confidence << ", "
                << (result.reliable ? "reliable" : "unreliable")
                << (result.script.empty() ? "" : ", script " + result.script)
                << ": " << result.note << '\n';
    }
    return result.language.empty() ? 1 : 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

} // namespace parley
