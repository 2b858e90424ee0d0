// The `apertium` backend: Parley's embedded default for text. Each installed
// language pair (`apertium -l`) runs as one persistent null-flush pipeline;
// pairs that are not installed are reached through pivots (fr → es → en).
//
// Its options are declared in apertium_kind() at the end.

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "messages/error_code.hpp"
#include "models/apertium/mode_file.hpp"
#include "models/apertium/pair_graph.hpp"
#include "models/apertium/pipeline.hpp"
#include "models/apertium/stream_format.hpp"
#include "models/model_kind.hpp"

namespace parley {

namespace {

using namespace std::chrono_literals;

// Returns the names `apertium -l` prints, one per line, indented.
std::vector<std::string> list_modes(const std::string& program) {
  std::string listing;
  try {
    listing = apertium::run_and_capture({program, "-l"}, 30s);
  } catch (const std::exception& e) {
    throw std::runtime_error("apertium backend: cannot list the installed "
                             "pairs with '"
                             + program + " -l': " + e.what());
  }
  std::vector<std::string> modes;
  std::istringstream lines{listing};
  for (std::string line; std::getline(lines, line);)
    if (auto name = apertium::trim(line); !name.empty())
      modes.emplace_back(name);
  return modes;
}

size_t positive(const backend_options& options, const std::string& key,
                long long fallback) {
  auto value = options.get_int(key, fallback);
  if (value < 1)
    throw std::runtime_error("apertium backend: option " + key
                             + " must be positive");
  return static_cast<size_t>(value);
}

// The languages the embedded default served before more pairs were
// installed. A pipeline runs about ten processes, so starting all thirty
// installed pairs at load would take seconds and gigabytes; the others start
// on first use.
constexpr const char* default_preload = "en,es,fr,ca,pt";

struct preload_set {
  bool all = false;
  std::set<std::string> languages;
};

/// `true`/`all`, `false`/`none`, or a comma-separated list of languages.
preload_set preloaded_languages(const std::string& option) {
  preload_set result;
  if (option == "true" || option == "all") {
    result.all = true;
    return result;
  }
  if (option == "false" || option == "none")
    return result;
  std::istringstream list{option};
  for (std::string language; std::getline(list, language, ',');)
    if (auto code = apertium::normalize_language(apertium::trim(language));
        !code.empty())
      result.languages.insert(code);
  return result;
}

class apertium_backend final : public translation_backend {
public:
  explicit apertium_backend(const backend_options& options)
      : max_hops_(positive(options, "max_hops", 3)) {
    auto modes_dir =
        options.get_string("modes_dir", "/usr/share/apertium/modes");
    auto program = options.get_string("apertium", "apertium");
    auto timeout = std::chrono::milliseconds{
        positive(options, "segment_timeout_ms", 10000)};
    apertium::mode_parameters parameters;
    parameters.generation_flag =
        options.get_bool("mark_unknown", false) ? "-g" : "-n";
    std::string missing;
    for (const auto& mode : list_modes(program)) {
      auto pair = apertium::parse_mode_name(mode);
      if (!pair)
        continue;
      auto path = modes_dir + "/" + mode + ".mode";
      if (access(path.c_str(), F_OK) != 0) {
        missing += " " + mode;
        continue;
      }
      bool added = false;
      for (const auto& source : apertium::served_codes(pair->first))
        for (const auto& target : apertium::served_codes(pair->second))
          if (graph_.add_pair(source, target, mode))
            added = true;
          else
            spdlog::warn("apertium backend: mode {} duplicates pair {}-{}",
                         mode, source, target);
      if (!added)
        continue;
      auto stages = apertium::load_mode_file(path, parameters);
      pipelines_.emplace(mode, std::make_unique<apertium::pipeline>(
                                   mode, std::move(stages), timeout));
    }
    if (!missing.empty())
      spdlog::warn("apertium backend: no mode file in {} for{}", modes_dir,
                   missing);
    if (pipelines_.empty())
      throw std::runtime_error("apertium backend: no language pair installed "
                               "(none listed by '"
                               + program + " -l' has a mode file in "
                               + modes_dir + ")");
    auto preload =
        preloaded_languages(options.get_string("preload", default_preload));
    for (auto& [mode, pipeline] : pipelines_) {
      auto pair = apertium::parse_mode_name(mode);
      if (preload.all
          || (preload.languages.count(pair->first) > 0
              && preload.languages.count(pair->second) > 0))
        pipeline->start();
    }
    routes_ = graph_.all_routes(max_hops_);
    spdlog::info("apertium backend: {} pairs, {} routes with pivots",
                 pipelines_.size(), routes_.size());
  }

  std::vector<job_output> translate(const translation_batch& batch) override {
    std::vector<job_output> outputs;
    outputs.reserve(batch.jobs.size());
    for (const auto& job : batch.jobs)
      outputs.push_back(translate_one(job));
    return outputs;
  }

  language_routes routes() const override {
    return {routes_, {}};
  }

private:
  job_output translate_one(const translation_job& job) {
    auto source = apertium::normalize_language(job.source_lang);
    auto target = apertium::normalize_language(job.target_lang);
    if (source == target)
      return {job.text, {source}, {}};
    auto path = graph_.route(source, target, max_hops_);
    if (!path) {
      auto why =
          !graph_.knows(source) ? "unknown language '" + source + "'"
          : !graph_.knows(target)
              ? "unknown language '" + target + "'"
              : "no route within " + std::to_string(max_hops_) + " pairs";
      return {{},
              {},
              make_error(error_code::unsupported_language,
                         "apertium cannot translate " + job.source_lang + " to "
                             + job.target_lang + ": " + why)};
    }
    auto text = job.text;
    if (apertium::trim(text).empty())
      return {text, *path, {}};
    for (size_t i = 0; i + 1 < path->size(); ++i) {
      auto mode = *graph_.mode((*path)[i], (*path)[i + 1]);
      auto segment = apertium::encode_segment(text);
      auto output = pipelines_.at(mode)->process(segment);
      if (!output)
        return {{}, {}, std::move(output.error())};
      text = apertium::decode_segment(*output, text);
    }
    return {std::move(text), std::move(*path), {}};
  }

  size_t max_hops_;
  apertium::pair_graph graph_;
  /// One pipeline per mode, by mode name.
  std::map<std::string, std::unique_ptr<apertium::pipeline>> pipelines_;
  std::vector<language_route> routes_;
};

std::unique_ptr<translation_backend>
make_apertium_backend(const backend_options& options) {
  return std::make_unique<apertium_backend>(options);
}

} // namespace

model_kind apertium_kind() {
  model_kind kind;
  kind.name = "apertium";
  kind.summary = "Rule-based translation by the installed Apertium pairs, "
                 "with pivots (the embedded default for text)";
  kind.factory = &make_apertium_backend;
  kind.options = {
      {"mark_unknown", option_type::boolean, "false",
       "keep Apertium's `*` marks on unknown words"},
      {"max_hops", option_type::integer, "3", "longest pivot route, in pairs"},
      {"segment_timeout_ms", option_type::integer, "10000",
       "time one pipeline may take for one text"},
      {"preload", option_type::text, default_preload,
       "pipelines started at load: true (all), false (none), or the pairs "
       "among these comma-separated languages"},
      {"modes_dir", option_type::text, "/usr/share/apertium/modes",
       "where `<mode>.mode` files are read; a pair without one is skipped"},
      {"apertium", option_type::text, "apertium",
       "the program that lists the installed pairs (-l)"},
  };
  return kind;
}

} // namespace parley
