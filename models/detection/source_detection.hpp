#pragma once

// Deciding the source language of a text sent with `sourceLanguage: "auto"`:
// the detector when it is sure, then the request's hints, the configured
// default, and the writing system. Every answer says which decided.

#include <string>
#include <string_view>
#include <vector>

#include "messages/detection.hpp"
#include "models/detection/detection_config.hpp"
#include "models/detection/language_detector.hpp"

namespace parley {

/// The part of `text` a detector should read: URLs, e-mail addresses,
/// @mentions, emoji, code and formatted numbers are left out, since they
/// belong to no language.
std::string detectable_text(std::string_view text);

/// A request's language hint in Parley's form (`pt_BR` → `pt-br`), or empty
/// for `auto`, `und`, an empty string or anything that is not a language
/// tag.
std::string normalize_hint(std::string_view hint);

/// Resolves the source language of `text`, in order:
/// 1. the detector, when it calls its answer reliable, its confidence is at
///    least `config.min_confidence` and the text has `config.min_letters`;
/// 2. the first usable hint;
/// 3. `config.default_language`;
/// 4. the script of the letters: the detector's unsure guess when that
///    language is written in the script, else the script's main language
///    (`language_of_script`);
/// 5. otherwise undetermined (no letters).
language_detection detect_source(const detection::language_detector& detector,
                                 const detection_config& config,
                                 std::string_view text,
                                 const detection_context& context);

/// A detect_function over a new detector of `config.engine`, safe to call
/// from several threads; an empty function for engine `off`. Throws
/// `std::invalid_argument` for an unknown engine, a default language that is
/// not a language tag, or a confidence outside [0, 1].
detect_function make_detect_function(const detection_config& config);

} // namespace parley
