#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// How the source language of a text was decided. Every detection says
/// which; none is a silent guess.
enum class detection_method : uint8_t {
  /// No detection: the request named its source language.
  none = 0,
  /// The detector was reliable and confident enough.
  detector,
  /// The detector was not; a language the request carried as a hint (the
  /// writer's or the conversation's language) was used.
  hint,
  /// The detector was not, and the request carried no hint: the configured
  /// `[detection] default_language` was used.
  configured_default,
  /// None of the above: the writing system of the text's letters decided.
  script,
  /// Nothing decided: the text has no letters (emoji, a URL, digits) and no
  /// hint or default applies.
  undetermined,
  /// A short or ambiguous text, decided among the candidate languages by
  /// its words, its letters and the detector's top candidates.
  words,
  /// As `words`, but the text could not tell its best candidates apart and
  /// the languages recently detected in its conversation did.
  conversation,
};

/// The wire name of a method: "none", "detector", "hint", "default",
/// "script", "undetermined", "words" or "conversation".
const char* to_string(detection_method method);

/// One language a detection weighed, with its score (0 to 1; the scores of
/// one detection's candidates add up to at most 1).
struct language_score {
  std::string language;
  float score = 0;
};

/// Where a text was written: the keys under which Parley remembers the
/// languages recently detected. Either may be empty.
struct conversation_keys {
  /// The chat's conversation (`conversationId`).
  std::string conversation;
  /// The writer, where the request names one.
  std::string sender;
};

/// The languages recently detected in a conversation and from a sender,
/// most recent first.
struct language_history {
  std::vector<std::string> conversation;
  std::vector<std::string> sender;
};

/// What besides the text tells its language.
struct detection_context {
  /// Languages the request names as likely (the writer's, the API's source
  /// hint), most specific first.
  std::vector<std::string> hints;
  /// What the conversation and the sender were recently written in.
  language_history history;
  /// The text is HTML or XML: only its text nodes are read, not its tags.
  bool markup = false;
};

/// The source language of one text, and how it was decided.
struct language_detection {
  /// An ISO 639-1 code (`fr`), or a tag with a script (`zh-Hant`); empty
  /// when undetermined.
  std::string language;
  /// The detector's confidence in `language`, 0 to 1: the share of the text
  /// it attributes to that language, and 0 when it did not consider it.
  float confidence = 0;
  /// Whether the detector itself called its answer reliable.
  bool reliable = false;
  detection_method method = detection_method::none;
  /// The detector's own best guess, kept when a fallback overruled it.
  std::string detector_guess;
  /// The dominant script of the letters (`Latin`, `Cyrillic`, ...), or
  /// empty when the text has none.
  std::string script;
  /// Why the method was chosen, for operators and logs.
  std::string note;
  /// The best candidates weighed (at most three), best first.
  std::vector<language_score> candidates;
};

/// Decides the source language of `text`. Must be safe to call from several
/// threads at once.
using detect_function = std::function<language_detection(
    const std::string& text, const detection_context& context)>;

/// What `detect` answers for `text`, or an `undetermined` result saying
/// detection is off when `detect` is empty.
language_detection detect_or_off(const detect_function& detect,
                                 const std::string& text,
                                 const detection_context& context);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, language_score& x) {
  return f(caf::meta::type_name("language_score"), x.language, x.score);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_keys& x) {
  return f(caf::meta::type_name("conversation_keys"), x.conversation, x.sender);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, language_history& x) {
  return f(caf::meta::type_name("language_history"), x.conversation, x.sender);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, language_detection& x) {
  return f(caf::meta::type_name("language_detection"), x.language, x.confidence,
           x.reliable, x.method, x.detector_guess, x.script, x.note,
           x.candidates);
}

} // namespace parley
