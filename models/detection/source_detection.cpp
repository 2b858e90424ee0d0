#include "models/detection/source_detection.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include "models/detection/script.hpp"
#include "models/detection/short_text.hpp"
#include "models/detection/word_tables.hpp"
#include "models/text/protected_spans.hpp"
#include "models/text/text_structure.hpp"

namespace parley {

namespace {

std::string percent(double x) {
  char text[16];
  std::snprintf(text, sizeof(text), "%.2f", x);
  return text;
}

/// The detector's confidence in `language`, or 0 when it did not consider it.
float confidence_in(const detection::detector_answer& answer,
                    const std::string& language) {
  for (const auto& guess : answer.candidates)
    if (guess.language == language)
      return guess.confidence;
  return 0;
}

/// Appends the lines of `text` without their protected spans.
void append_without_spans(std::string_view text, std::string& out) {
  size_t line_start = 0;
  while (line_start <= text.size()) {
    auto line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos)
      line_end = text.size();
    auto line = text.substr(line_start, line_end - line_start);
    size_t kept = 0;
    for (const auto& span : find_protected_spans(line)) {
      out.append(line.substr(kept, span.begin - kept));
      out += ' ';
      kept = span.end;
    }
    out.append(line.substr(kept));
    out += '\n';
    line_start = line_end + 1;
  }
}

} // namespace

std::string detectable_text(std::string_view text) {
  std::string result;
  size_t kept = 0;
  for (const auto& block : find_code_blocks(text)) {
    append_without_spans(text.substr(kept, block.begin - kept), result);
    kept = block.end;
  }
  append_without_spans(text.substr(kept), result);
  return result;
}

std::string normalize_hint(std::string_view hint) {
  std::string tag;
  size_t subtag = 0;
  bool primary = true;
  for (auto c : hint) {
    auto u = static_cast<unsigned char>(c);
    if (c == '-' || c == '_') {
      if (subtag < 2 || (primary && subtag > 3))
        return {};
      primary = false;
      subtag = 0;
      tag += '-';
    } else if (primary ? std::isalpha(u) : std::isalnum(u)) {
      if (++subtag > 8)
        return {};
      tag += static_cast<char>(std::tolower(u));
    } else {
      return {};
    }
  }
  if (subtag < 2 || (primary && subtag > 3) || tag == "und")
    return {};
  return tag;
}

namespace {

/// The text nodes of HTML or XML, one per line: the words of a marked-up
/// text, without its tags and attributes.
std::string text_nodes_of(std::string_view text) {
  auto structure = structured_text::parse(text, {text_format::html, {}});
  std::string nodes;
  for (const auto& sentence : structure.sentences())
    nodes += sentence + '\n';
  return nodes;
}

/// The context with its hints normalized and the unusable ones ("auto", "")
/// dropped, so that the first hint is the first usable one.
detection_context usable_hints(const detection_context& context) {
  detection_context usable;
  usable.history = context.history;
  usable.markup = context.markup;
  for (const auto& hint : context.hints)
    if (auto language = normalize_hint(hint); !language.empty())
      usable.hints.push_back(std::move(language));
  return usable;
}

/// CLD2's top candidates as a detection's candidates.
std::vector<language_score>
detector_candidates(const detection::detector_answer& answer) {
  std::vector<language_score> scores;
  for (const auto& guess : answer.candidates)
    if (scores.size() < 3)
      scores.push_back({guess.language, guess.confidence});
  return scores;
}

/// The candidates of one text: the configured and served languages, and
/// what the request itself makes plausible (its hints and default).
std::vector<std::string> plausible(const std::vector<std::string>& candidates,
                                   const detection_config& config,
                                   const detection_context& context) {
  auto all = candidates;
  auto add = [&](const std::string& tag) {
    auto language = normalize_hint(tag);
    language = language.substr(0, language.find('-'));
    if (!language.empty()
        && std::find(all.begin(), all.end(), language) == all.end())
      all.push_back(language);
  };
  for (const auto& hint : context.hints)
    add(hint);
  add(config.default_language);
  return all;
}

/// The most specific spelling of `language` the request named (`pt-br` for
/// `pt`), or `language` itself.
std::string as_hinted(const std::string& language,
                      const detection_context& context) {
  for (const auto& hint : context.hints)
    if (auto tag = normalize_hint(hint);
        tag.substr(0, tag.find('-')) == language)
      return tag;
  return language;
}

const char* prior_name(detection::prior_kind kind) {
  switch (kind) {
  case detection::prior_kind::hint:
    return "the request's hint";
  case detection::prior_kind::conversation:
    return "the conversation's recent languages";
  case detection::prior_kind::configured_default:
    return "the configured default language";
  case detection::prior_kind::none:
    break;
  }
  return "nothing";
}

detection_method method_of(detection::prior_kind kind) {
  switch (kind) {
  case detection::prior_kind::hint:
    return detection_method::hint;
  case detection::prior_kind::conversation:
    return detection_method::conversation;
  case detection::prior_kind::configured_default:
    return detection_method::configured_default;
  case detection::prior_kind::none:
    break;
  }
  return detection_method::words;
}

/// Evidence below one chat word's worth: the text names no candidate.
constexpr double weak_text_evidence = 2.0;
/// What an unserved language needs to win a short text: CLD2 reliable at
/// this confidence, on at least this many letters.
constexpr float unserved_confidence = 0.9f;
constexpr size_t unserved_letters = 12;
/// What it needs on a text the candidates do not know.
constexpr float unserved_short_confidence = 0.6f;

/// What one detection has read before it decides: the text without what
/// belongs to no language, CLD2's answer, the script, the usable hints.
struct reading {
  const detection::language_detector& detector;
  const detection_config& config;
  std::string text;
  detection::detector_answer answer;
  detection::script_summary script;
  detection_context context;
  /// CLD2's first candidate, or empty.
  std::string guess;
  float guess_confidence = 0;

  std::string letters() const {
    return std::to_string(script.all_letters) + " letters";
  }

  /// What every answer says, whatever decides: the script, CLD2's verdict
  /// and guess, and its candidates.
  language_detection outline() const {
    language_detection result;
    result.script = script.script;
    result.reliable = answer.reliable;
    result.detector_guess = guess;
    result.candidates = detector_candidates(answer);
    return result;
  }

  language_detection by_detector(const std::string& why) const {
    auto result = outline();
    result.language = guess;
    result.confidence = guess_confidence;
    result.method = detection_method::detector;
    result.note = why;
    return result;
  }
};

reading read(const detection::language_detector& detector,
             const detection_config& config, std::string_view text,
             const detection_context& context) {
  reading r{detector, config,
            detectable_text(context.markup ? text_nodes_of(text) : text)};
  r.answer = detector.detect(r.text);
  r.script = detection::dominant_script(r.text);
  r.context = usable_hints(context);
  if (!r.answer.candidates.empty()) {
    r.guess = r.answer.candidates.front().language;
    r.guess_confidence = r.answer.candidates.front().confidence;
  }
  return r;
}

/// An unserved language wins a short text only on evidence no candidate
/// has: a letter none of them writes, or words none of them knows. Where the
/// candidates have no word tables (Arabic, Devanagari), nothing says they
/// do not know the text.
bool unserved_wins(const reading& r,
                   const detection::short_text_decision& decision) {
  const auto& best = decision.ranked.front();
  bool candidate_guess = std::any_of(
      decision.ranked.begin(), decision.ranked.end(),
      [&](const auto& scored) { return scored.language == r.guess; });
  bool judged_by_words =
      detection::word_tables::embedded().index_of(best.language) >= 0;
  bool unknown_to_candidates =
      decision.foreign_letter || best.known_words * 2 < decision.words;
  return !r.guess.empty() && !candidate_guess && judged_by_words
         && detection::script_of_language(r.guess) == r.script.script
         && ((r.answer.reliable && r.guess_confidence >= unserved_confidence
              && r.script.all_letters >= unserved_letters
              && best.text < weak_text_evidence)
             || (unknown_to_candidates
                 && r.guess_confidence >= unserved_short_confidence));
}

/// Decides among the candidates written in the text's script; nothing when
/// none is.
std::optional<language_detection>
among_candidates(const reading& r, const std::vector<std::string>& candidates) {
  auto decision = detection::decide_short_text(
      detection::word_tables::embedded(),
      plausible(candidates, r.config, r.context), r.text, r.script, r.answer,
      {&r.context, r.config.default_language});
  if (decision.ranked.empty())
    return std::nullopt;
  if (unserved_wins(r, decision))
    return r.by_detector(
        r.detector.name() + " says '" + r.guess + "' at "
        + percent(r.guess_confidence) + " on " + r.letters()
        + (decision.foreign_letter
               ? ", which have a letter no candidate language writes"
               : ", most of whose words no candidate language knows"));
  const auto& best = decision.ranked.front();
  auto result = r.outline();
  result.language = as_hinted(best.language, r.context);
  result.confidence = static_cast<float>(best.probability);
  result.candidates.clear();
  for (const auto& scored : decision.ranked)
    if (result.candidates.size() < 3)
      result.candidates.push_back(
          {scored.language, static_cast<float>(scored.probability)});
  auto among = "short or ambiguous text (" + r.letters() + "), among "
               + std::to_string(decision.ranked.size())
               + " candidate languages in the " + r.script.script + " script";
  if (decision.decided_by != detection::prior_kind::none) {
    result.method = method_of(decision.decided_by);
    result.note = among
                  + ": the text could not tell its best candidates apart; "
                  + prior_name(decision.decided_by) + " decided on '"
                  + best.language + "'";
  } else if (decision.text_has_evidence) {
    result.method = detection_method::words;
    result.note = among + ": " + std::to_string(decision.known_words)
                  + " known words, its letters and " + r.detector.name()
                  + "'s candidates";
  } else {
    result.method = detection_method::script;
    result.note = among
                  + ": nothing in it is known; took the candidate most used "
                    "in chat";
  }
  return result;
}

/// No candidate is written in the text's script, or it has no letters: the
/// request's hint, the configured default, then the script decides.
language_detection by_request_or_script(const reading& r) {
  auto unsure =
      r.script.all_letters == 0 ? std::string{"the text has no letters"}
      : r.guess.empty()
          ? r.detector.name() + " recognised no language"
          : r.detector.name() + " is unsure of '" + r.guess + "' ("
                + (r.answer.reliable ? "reliable" : "unreliable") + ", "
                + percent(r.guess_confidence) + ", " + r.letters() + ")";
  auto settle = [&](std::string language, detection_method method,
                    const std::string& why) {
    auto result = r.outline();
    result.confidence = confidence_in(r.answer, language);
    result.language = std::move(language);
    result.method = method;
    result.note = unsure + "; " + why;
    return result;
  };
  if (!r.context.hints.empty())
    return settle(r.context.hints.front(), detection_method::hint,
                  "used the request's hint");
  if (!r.config.default_language.empty())
    return settle(r.config.default_language,
                  detection_method::configured_default,
                  "used the configured default language");
  // Within a script many languages share (Latin, Cyrillic, Arabic), the
  // detector's unsure guess beats the script's main language, but only when
  // it is written in that script: 好 alone guessed as Japanese is Chinese.
  if (!r.guess.empty() && !r.script.script.empty()
      && detection::script_of_language(r.guess) == r.script.script)
    return settle(r.guess, detection_method::script,
                  "no candidate language is written in the " + r.script.script
                      + " script; took " + r.detector.name()
                      + "'s guess, a language written in it");
  if (!r.script.language.empty())
    return settle(r.script.language, detection_method::script,
                  "used the language of the " + r.script.script + " script");
  auto result = r.outline();
  result.method = detection_method::undetermined;
  result.note = unsure + "; no candidate, hint, default or script applies";
  return result;
}

} // namespace

language_detection detect_source(const detection::language_detector& detector,
                                 const detection_config& config,
                                 const std::vector<std::string>& candidates,
                                 std::string_view text,
                                 const detection_context& context) {
  auto r = read(detector, config, text, context);
  if (!r.guess.empty() && r.answer.reliable
      && r.guess_confidence >= config.min_confidence
      && r.script.all_letters >= config.min_letters)
    return r.by_detector(detector.name() + " is reliable at "
                         + percent(r.guess_confidence));
  if (auto decided = among_candidates(r, candidates))
    return *decided;
  return by_request_or_script(r);
}

detect_function
make_detect_function(const detection_config& config,
                     std::shared_ptr<detection::candidate_set> candidates) {
  if (config.engine == "off")
    return {};
  if (config.engine != "cld2")
    throw std::invalid_argument("detection.engine must be cld2 or off, not '"
                                + config.engine + "'");
  if (config.min_confidence < 0 || config.min_confidence > 1)
    throw std::invalid_argument("detection.min_confidence must be between 0 "
                                "and 1");
  auto settings = config;
  if (!settings.default_language.empty()) {
    settings.default_language = normalize_hint(config.default_language);
    if (settings.default_language.empty())
      throw std::invalid_argument("detection.default_language '"
                                  + config.default_language
                                  + "' is not a language tag");
  }
  if (!candidates)
    candidates = std::make_shared<detection::candidate_set>(config.languages);
  else
    candidates->add(config.languages);
  std::shared_ptr<const detection::language_detector> detector =
      detection::make_cld2_detector();
  // Built here so that a broken table fails at start, not on a request.
  detection::word_tables::embedded();
  return [detector, settings, candidates](const std::string& text,
                                          const detection_context& context) {
    return detect_source(*detector, settings, candidates->snapshot(), text,
                         context);
  };
}

} // namespace parley
