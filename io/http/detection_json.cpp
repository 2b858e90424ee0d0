#include "io/http/detection_json.hpp"

#include <cmath>

namespace parley {

using nlohmann::json;

json detection_json(const language_detection& detection) {
  json result{{"language", nullptr},
              {"confidence", std::round(detection.confidence * 100.0) / 100.0},
              {"reliable", detection.reliable},
              {"method", to_string(detection.method)},
              {"detector_guess", nullptr},
              {"script", nullptr},
              {"note", detection.note}};
  if (!detection.language.empty())
    result["language"] = detection.language;
  if (!detection.detector_guess.empty())
    result["detector_guess"] = detection.detector_guess;
  if (!detection.script.empty())
    result["script"] = detection.script;
  auto candidates = json::array();
  for (const auto& candidate : detection.candidates)
    candidates.push_back(
        {{"language", candidate.language},
         {"score", std::round(candidate.score * 1000.0) / 1000.0}});
  result["candidates"] = std::move(candidates);
  return result;
}

bool read_detect_body(const std::string& body, std::string& text,
                      std::vector<std::string>& hints, std::string& error) {
  auto request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  error = "expected a JSON object with a string field text, and optionally "
          "hints (an array of language codes) and user_language";
  if (!request.is_object() || !request.contains("text")
      || !request["text"].is_string())
    return false;
  text = request["text"].get<std::string>();
  if (auto user = request.find("user_language"); user != request.end()) {
    if (!user->is_string() && !user->is_null())
      return false;
    if (user->is_string())
      hints.push_back(user->get<std::string>());
  }
  if (auto listed = request.find("hints"); listed != request.end()) {
    if (!listed->is_array() && !listed->is_null())
      return false;
    if (listed->is_array())
      for (const auto& hint : *listed) {
        if (!hint.is_string())
          return false;
        hints.push_back(hint.get<std::string>());
      }
  }
  error.clear();
  return true;
}

} // namespace parley
