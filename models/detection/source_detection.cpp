#include "models/detection/source_detection.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
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

} // namespace

language_detection detect_source(const detection::language_detector& detector,
                                 const detection_config& config,
                                 const std::vector<std::string>& candidates,
                                 std::string_view text,
                                 const detection_context& context) {
  auto readable = detectable_text(context.markup ? text_nodes_of(text) : text);
  auto hinted = usable_hints(context);
  auto answer = detector.detect(readable);
  auto script = detection::dominant_script(readable);
  language_detection result;
  result.script = script.script;
  result.reliable = answer.reliable;
  result.candidates = detector_candidates(answer);
  std::string guess;
  float guess_confidence = 0;
  if (!answer.candidates.empty()) {
    guess = answer.candidates.front().language;
    guess_confidence = answer.candidates.front().confidence;
  }
  result.detector_guess = guess;
  auto take_detector = [&](const std::string& why) {
    result.language = guess;
    result.confidence = guess_confidence;
    result.method = detection_method::detector;
    result.note = why;
    return result;
  };
  if (!guess.empty() && answer.reliable
      && guess_confidence >= config.min_confidence
      && script.all_letters >= config.min_letters)
    return take_detector(detector.name() + " is reliable at "
                         + percent(guess_confidence));
  auto letters = std::to_string(script.all_letters) + " letters";
  auto decision = detection::decide_short_text(
      detection::word_tables::embedded(), plausible(candidates, config, hinted),
      readable, script, answer, {&hinted, config.default_language});
  if (!decision.ranked.empty()) {
    const auto& best = decision.ranked.front();
    bool candidate_guess = std::any_of(
        decision.ranked.begin(), decision.ranked.end(),
        [&](const auto& scored) { return scored.language == guess; });
    // An unserved language wins a short text only on evidence no candidate
    // has: a letter none of them writes, or words none of them knows. Where
    // the candidates have no word tables (Arabic, Devanagari), nothing says
    // they do not know the text.
    bool judged_by_words =
        detection::word_tables::embedded().index_of(best.language) >= 0;
    bool unknown_to_candidates =
        decision.foreign_letter || best.known_words * 2 < decision.words;
    if (!guess.empty() && !candidate_guess && judged_by_words
        && detection::script_of_language(guess) == script.script
        && ((answer.reliable && guess_confidence >= unserved_confidence
             && script.all_letters >= unserved_letters
             && best.text < weak_text_evidence)
            || (unknown_to_candidates
                && guess_confidence >= unserved_short_confidence)))
      return take_detector(
          detector.name() + " says '" + guess + "' at "
          + percent(guess_confidence) + " on " + letters
          + (decision.foreign_letter
                 ? ", which have a letter no candidate language writes"
                 : ", most of whose words no candidate language knows"));
    result.language = as_hinted(best.language, hinted);
    result.confidence = static_cast<float>(best.probability);
    result.candidates.clear();
    for (const auto& scored : decision.ranked)
      if (result.candidates.size() < 3)
        result.candidates.push_back(
            {scored.language, static_cast<float>(scored.probability)});
    auto among = "among " + std::to_string(decision.ranked.size())
                 + " candidate languages in the " + script.script + " script";
    if (decision.decided_by != detection::prior_kind::none) {
      result.method = method_of(decision.decided_by);
      result.note = "short or ambiguous text (" + letters + "), " + among
                    + ": the text could not tell its best candidates apart; "
                    + prior_name(decision.decided_by) + " decided on '"
                    + best.language + "'";
    } else if (decision.text_has_evidence) {
      result.method = detection_method::words;
      result.note = "short or ambiguous text (" + letters + "), " + among + ": "
                    + std::to_string(decision.known_words)
                    + " known words, its letters and " + detector.name()
                    + "'s candidates";
    } else {
      result.method = detection_method::script;
      result.note = "short or ambiguous text (" + letters + "), " + among
                    + ": nothing in it is known; took the candidate most "
                      "used in chat";
    }
    return result;
  }
  // No candidate is written in the text's script, or it has no letters.
  auto unsure = script.all_letters == 0 ? std::string{"the text has no letters"}
                : guess.empty()
                    ? detector.name() + " recognised no language"
                    : detector.name() + " is unsure of '" + guess + "' ("
                          + (answer.reliable ? "reliable" : "unreliable") + ", "
                          + percent(guess_confidence) + ", " + letters + ")";
  auto settle = [&](std::string language, detection_method method,
                    const std::string& why) {
    result.confidence = confidence_in(answer, language);
    result.language = std::move(language);
    result.method = method;
    result.note = unsure + "; " + why;
    return result;
  };
  // Nothing in the text to weigh (emoji, a URL, digits): what the request
  // says, then the configuration.
  if (!hinted.hints.empty())
    return settle(hinted.hints.front(), detection_method::hint,
                  "used the request's hint");
  if (!config.default_language.empty())
    return settle(config.default_language, detection_method::configured_default,
                  "used the configured default language");
  // Within a script many languages share (Latin, Cyrillic, Arabic), the
  // detector's unsure guess beats the script's main language, but only when
  // it is written in that script: 好 alone guessed as Japanese is Chinese.
  if (!guess.empty() && !script.script.empty()
      && detection::script_of_language(guess) == script.script)
    return settle(guess, detection_method::script,
                  "no candidate language is written in the " + script.script
                      + " script; took its guess, which is");
  if (!script.language.empty())
    return settle(script.language, detection_method::script,
                  "used the language of the " + script.script + " script");
  result.method = detection_method::undetermined;
  result.note = unsure + "; no candidate, hint, default or script applies";
  return result;
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
