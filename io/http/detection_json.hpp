#pragma once

#include <nlohmann/json.hpp>

#include "messages/detection.hpp"

namespace parley {

/// A detection as HTTP and the CLI show it: `{language, confidence,
/// reliable, method, detector_guess, script, note}`; `language` is null when
/// undetermined. `language` and `confidence` are the fields of the old
/// service's `/detect-language`.
nlohmann::json detection_json(const language_detection& detection);

/// Reads `{text, hints?: [..], user_language?}` and answers the detection;
/// shared by `POST /detect` and its old name `POST /detect-language`.
/// Returns false with `error` set for a malformed body.
bool read_detect_body(const std::string& body, std::string& text,
                      std::vector<std::string>& hints, std::string& error);

} // namespace parley
