#pragma once

// Short and ambiguous texts, decided among plausible candidate languages:
// the words of the text (Parley's chat words and Debian's dictionaries),
// its letters (ñ is Spanish, ї Ukrainian), CLD2's top candidates, how much
// each language is used in chat, and the priors the request brings (its
// hints, the conversation's recent languages, the configured default).

#include <string>
#include <string_view>
#include <vector>

#include "messages/detection.hpp"
#include "models/detection/language_detector.hpp"
#include "models/detection/script.hpp"
#include "models/detection/word_tables.hpp"

namespace parley::detection {

/// Where a candidate's score came from.
struct scored_language {
  std::string language;
  /// Evidence of the text itself: words, letters and CLD2.
  double text = 0;
  /// Of which its words.
  double words = 0;
  /// Words of the text this language's tables know.
  size_t known_words = 0;
  /// What the request brings: hints, history, the default.
  double prior = 0;
  /// Chat usage: the tie-breaker when the text cannot tell.
  double popularity = 0;
  /// Softmax of text + prior + popularity over the candidates.
  double probability = 0;

  double total() const {
    return text + prior + popularity;
  }
};

/// Which prior weighed most on a candidate.
enum class prior_kind { none, hint, conversation, configured_default };

struct short_text_decision {
  /// The candidates written in the text's script, best first; empty when
  /// none is.
  std::vector<scored_language> ranked;
  /// The best by the text alone (with popularity) differs from the best:
  /// a prior decided, and this one.
  prior_kind decided_by = prior_kind::none;
  /// Some candidate has evidence in the text (a known word, a letter of
  /// its alphabet, a CLD2 share).
  bool text_has_evidence = false;
  /// Words of the text found in some candidate's tables, and in all.
  size_t known_words = 0;
  size_t words = 0;
  /// The text has a letter none of the candidates writes (ő, ě, å, ș):
  /// evidence of a language that is not a candidate.
  bool foreign_letter = false;
};

/// The priors of a decision, read from the request.
struct detection_priors {
  const detection_context* context = nullptr;
  /// `[detection] default_language`, or empty.
  std::string default_language;
};

short_text_decision decide_short_text(
    const word_tables& tables, const std::vector<std::string>& candidates,
    std::string_view readable, const script_summary& script,
    const detector_answer& detector, const detection_priors& priors);

/// How much a language is used in chat, 0 (unknown) to 1 (English): the
/// tie-breaker ("до завтра" is Russian before Ukrainian).
double chat_usage(std::string_view language);

} // namespace parley::detection
