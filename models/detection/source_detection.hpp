#pragma once

// Deciding the source language of a text sent with `sourceLanguage: "auto"`:
// the detector when it is sure, then the request's hints, the configured
// default, and the writing system. Every answer says which decided.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "messages/detection.hpp"
#include "models/detection/candidate_set.hpp"
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

/// Resolves the source language of `text`:
/// 1. the detector alone, when it calls its answer reliable, its confidence
///    is at least `config.min_confidence` and the text has
///    `config.min_letters` letters, served language or not;
/// 2. otherwise among `candidates` written in the text's script, plus the
///    request's hints and the configured default (see short_text.hpp):
///    method `words`, or `hint`, `conversation` or `default` where a prior
///    decided what the text could not; an unserved language CLD2 is sure
///    of on 12 letters or more still wins when no candidate knows the text;
/// 3. without a candidate in the text's script: the detector's guess when
///    it is written in that script, else the script's main language;
/// 4. otherwise undetermined (no letters).
language_detection detect_source(const detection::language_detector& detector,
                                 const detection_config& config,
                                 const std::vector<std::string>& candidates,
                                 std::string_view text,
                                 const detection_context& context);

/// A detect_function over a new detector of `config.engine`, safe to call
/// from several threads, deciding short texts among `candidates` (the
/// configured languages when null; the runtime adds the served ones as
/// models announce them); an empty function for engine `off`. Throws
/// `std::invalid_argument` for an unknown engine, a default language that
/// is not a language tag, or a confidence outside [0, 1].
detect_function make_detect_function(
    const detection_config& config,
    std::shared_ptr<detection::candidate_set> candidates = nullptr);

} // namespace parley
