#include "tools/detection_accuracy.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "models/apertium/pair_graph.hpp"
#include "models/detection/language_detector.hpp"
#include "models/detection/source_detection.hpp"

namespace parley {

std::vector<labelled_message> read_labelled_messages(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::vector<labelled_message> messages;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#')
      continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size())
      throw std::runtime_error(path + ":" + std::to_string(number)
                               + ": expected LANG<TAB>TEXT");
    messages.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return messages;
}

std::pair<size_t, size_t> accuracy_report::totals(bool candidates) const {
  size_t right = 0;
  size_t messages = 0;
  for (const auto& language : languages)
    if (language.candidate == candidates) {
      right += language.right;
      messages += language.messages;
    }
  return {right, messages};
}

accuracy_report
measure_accuracy(const std::vector<labelled_message>& messages,
                 const std::function<std::string(const std::string&)>& detect,
                 const std::vector<std::string>& candidates) {
  accuracy_report report;
  for (const auto& message : messages) {
    auto i = std::find_if(
        report.languages.begin(), report.languages.end(),
        [&](const auto& entry) { return entry.language == message.language; });
    if (i == report.languages.end()) {
      bool candidate =
          std::find(candidates.begin(), candidates.end(), message.language)
          != candidates.end();
      report.languages.push_back({message.language, 0, 0, candidate});
      i = report.languages.end() - 1;
    }
    ++i->messages;
    auto found = detect(message.text);
    if (found.substr(0, found.find('-')) == message.language)
      ++i->right;
  }
  return report;
}

std::string accuracy_table(const accuracy_report& parley,
                           const accuracy_report& cld2_alone) {
  std::string table;
  char line[128];
  std::snprintf(line, sizeof(line), "%-10s %9s %9s %11s\n", "language",
                "messages", "parley", "cld2 alone");
  table += line;
  auto percent = [](size_t right, size_t total) {
    return total == 0 ? 0.0 : 100.0 * static_cast<double>(right) / total;
  };
  for (size_t i = 0; i < parley.languages.size(); ++i) {
    const auto& ours = parley.languages[i];
    const auto& theirs = cld2_alone.languages[i];
    std::snprintf(line, sizeof(line), "%-10s %9zu %8.1f%% %10.1f%%\n",
                  (ours.language + (ours.candidate ? "" : " *")).c_str(),
                  ours.messages, percent(ours.right, ours.messages),
                  percent(theirs.right, theirs.messages));
    table += line;
  }
  for (bool candidates : {true, false}) {
    auto [right, total] = parley.totals(candidates);
    auto [cld2_right, cld2_total] = cld2_alone.totals(candidates);
    std::snprintf(line, sizeof(line), "%-10s %9zu %8.1f%% %10.1f%%\n",
                  candidates ? "candidates" : "others *", total,
                  percent(right, total), percent(cld2_right, cld2_total));
    table += line;
  }
  return table;
}

std::shared_ptr<detection::candidate_set>
configured_candidates(const runtime_config& config) {
  auto candidates =
      std::make_shared<detection::candidate_set>(config.detection.languages);
  for (const auto& model : config.models)
    if (model.kind == "apertium")
      candidates->add(apertium::installed_source_languages(
          model.options.get_string("modes_dir", "/usr/share/apertium/modes")));
  return candidates;
}

std::string cld2_alone(const std::string& text) {
  static const auto detector = detection::make_cld2_detector();
  auto answer = detector->detect(detectable_text(text));
  return answer.candidates.empty() ? "und" : answer.candidates.front().language;
}

} // namespace parley
