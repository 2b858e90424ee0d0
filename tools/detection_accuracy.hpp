#pragma once

// Accuracy of source-language detection on a labelled set of messages
// (tests/data/short_chat_messages.tsv): shared by the accuracy test and
// `parley bench detect`.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/detection/candidate_set.hpp"
#include "server/runtime_config.hpp"

namespace parley {

struct labelled_message {
  std::string language;
  std::string text;
};

/// Reads `LANG<TAB>TEXT` lines; `#` starts a comment line. Throws
/// std::runtime_error for an unreadable file or a malformed line.
std::vector<labelled_message> read_labelled_messages(const std::string& path);

struct language_accuracy {
  std::string language;
  size_t messages = 0;
  size_t right = 0;
  /// Among the candidate languages short texts are decided among.
  bool candidate = false;
};

struct accuracy_report {
  /// By language, in the order of first appearance.
  std::vector<language_accuracy> languages;

  /// Right and total over the candidate languages (or the others).
  std::pair<size_t, size_t> totals(bool candidates) const;
};

/// Runs `detect` on every message and counts the right answers by language.
accuracy_report
measure_accuracy(const std::vector<labelled_message>& messages,
                 const std::function<std::string(const std::string&)>& detect,
                 const std::vector<std::string>& candidates);

/// A table of both reports side by side, by language, with the totals.
std::string accuracy_table(const accuracy_report& parley,
                           const accuracy_report& cld2_alone);

/// The candidates of detection where no model runs (`parley detect`, the
/// benchmark): the configured languages and the source languages of the
/// configuration's Apertium pairs, read from their mode files.
std::shared_ptr<detection::candidate_set>
configured_candidates(const runtime_config& config);

/// What CLD2 alone answers: its first candidate, or "und".
std::string cld2_alone(const std::string& text);

} // namespace parley
