#include "models/detection/source_detection.hpp"

#include <cctype>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "models/detection/script.hpp"
#include "models/text/protected_spans.hpp"

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

language_detection detect_source(const detection::language_detector& detector,
                                 const detection_config& config,
                                 std::string_view text,
                                 const detection_context& context) {
  auto readable = detectable_text(text);
  auto answer = detector.detect(readable);
  auto script = detection::dominant_script(readable);
  language_detection result;
  result.script = script.script;
  result.reliable = answer.reliable;
  std::string guess;
  float guess_confidence = 0;
  if (!answer.candidates.empty()) {
    guess = answer.candidates.front().language;
    guess_confidence = answer.candidates.front().confidence;
  }
  result.detector_guess = guess;
  if (!guess.empty() && answer.reliable
      && guess_confidence >= config.min_confidence
      && script.all_letters >= config.min_letters) {
    result.language = guess;
    result.confidence = guess_confidence;
    result.method = detection_method::detector;
    result.note =
        detector.name() + " is reliable at " + percent(guess_confidence);
    return result;
  }
  auto unsure =
      script.all_letters == 0 ? std::string{"the text has no letters"}
      : script.all_letters < config.min_letters
          ? "the text has " + std::to_string(script.all_letters)
                + " letters, fewer than " + std::to_string(config.min_letters)
                + (guess.empty()
                       ? std::string{}
                       : " (" + detector.name() + " guessed '" + guess + "')")
      : guess.empty() ? detector.name() + " recognised no language"
                      : detector.name() + " is unsure of '" + guess + "' ("
                            + (answer.reliable ? "reliable" : "unreliable")
                            + ", " + percent(guess_confidence) + ")";
  auto settle = [&](std::string language, detection_method method,
                    const std::string& why) {
    result.confidence = confidence_in(answer, language);
    result.language = std::move(language);
    result.method = method;
    result.note = unsure + "; " + why;
    return result;
  };
  for (const auto& hint : context.hints)
    if (auto language = normalize_hint(hint); !language.empty())
      return settle(language, detection_method::hint,
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
                  "took its guess, which is written in the " + script.script
                      + " script of the text");
  if (!script.language.empty())
    return settle(script.language, detection_method::script,
                  "used the language of the " + script.script + " script");
  result.method = detection_method::undetermined;
  result.note = unsure + "; no hint, default or script applies";
  return result;
}

detect_function make_detect_function(const detection_config& config) {
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
  std::shared_ptr<const detection::language_detector> detector =
      detection::make_cld2_detector();
  return [detector, settings](const std::string& text,
                              const detection_context& context) {
    return detect_source(*detector, settings, text, context);
  };
}

} // namespace parley
