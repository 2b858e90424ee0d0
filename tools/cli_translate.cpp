// `parley translate`: runs the same actor graph as the server, in-process.

#include <chrono>
#include <iostream>
#include <iterator>
#include <map>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/runtime.hpp"
#include "io/config_file.hpp"
#include "io/system_config.hpp"
#include "messages/error_code.hpp"
#include "messages/translation.hpp"
#include "tools/arguments.hpp"
#include "tools/commands.hpp"
#include "tools/logging.hpp"

namespace parley {

namespace {

constexpr auto load_timeout = std::chrono::minutes(5);

std::string join_route(const std::vector<std::string>& route) {
  std::string result;
  for (const auto& lang : route)
    result += (result.empty() ? "" : "→") + lang;
  return result;
}

std::string read_text(const arguments& args) {
  const auto& words = args.positionals();
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
      std::cerr << "parley: " << target << ": pivot " << join_route(result.route)
                << '\n';
    if (targets.size() > 1)
      std::cout << target << ": ";
    std::cout << result.text << '\n';
  }
  return status;
}

} // namespace

int run_translate(int argc, char** argv) {
  try {
    arguments args{argc, argv, 2};
    args.expect_only({"from", "to", "model", "config", "set", "log-level"});
    auto from = args.get("from", "");
    auto targets = args.all("to");
    if (from.empty() || targets.empty()) {
      std::cerr << "usage: parley translate --from LANG --to LANG [--to LANG "
                   "...] [TEXT...]\n";
      return 2;
    }
    auto overrides = args.all("set");
    auto cfg = args.has("config")
                 ? load_config_file(args.get("config", ""), overrides)
                 : parse_config("", overrides);
    setup_logging(args.get("log-level", "warn"));
    system_config sys_cfg{cfg.scheduler};
    caf::actor_system sys{sys_cfg};
    runtime rt{sys, cfg.runtime, backend_registry::builtin()};
    rt.wait_until_ready(load_timeout);
    caf::scoped_actor self{sys};
    translate_request request{1, args.get("model", ""), from, targets,
                              read_text(args)};
    self->send(rt.router(), std::move(request),
               caf::actor_cast<translation_sink>(self.ptr()));
    std::map<std::string, translation> done;
    std::map<std::string, caf::error> failed;
    bool finished = false;
    self->receive_while([&] { return !finished; })(
      [&](translation& result) {
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

} // namespace parley
