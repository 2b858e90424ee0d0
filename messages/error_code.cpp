#include "messages/error_code.hpp"

#include <array>
#include <cstring>
#include <utility>

#include <caf/deep_to_string.hpp>
#include <caf/sec.hpp>

namespace parley {

namespace {

constexpr std::array<const char*, 14> wire_names = {
    "INVALID_REQUEST",      "MISSING_AUDIO",    "AUDIO_DECODE_FAILED",
    "UNSUPPORTED_LANGUAGE", "MESSAGE_TOO_LONG", "MODEL_UNAVAILABLE",
    "OVERLOADED",           "TIMEOUT",          "TRANSLATION_FAILED",
    "TRANSCRIPTION_FAILED", "INTERNAL_ERROR",   "FEATURE_UNAVAILABLE",
    "UNAUTHORIZED",         "RATE_LIMITED",
};

} // namespace

std::string to_string(error_code code) {
  auto index = static_cast<size_t>(code) - 1;
  if (index < wire_names.size())
    return wire_names[index];
  return "INTERNAL_ERROR";
}

caf::optional<error_code> parse_error_code(caf::string_view name) {
  for (size_t i = 0; i < wire_names.size(); ++i)
    if (name == caf::string_view{wire_names[i], std::strlen(wire_names[i])})
      return static_cast<error_code>(i + 1);
  return caf::none;
}

caf::error make_error(error_code code) {
  return {static_cast<uint8_t>(code), error_category};
}

caf::error make_error(error_code code, std::string explanation) {
  return {static_cast<uint8_t>(code), error_category,
          caf::make_message(std::move(explanation))};
}

error_code code_of(const caf::error& err) {
  if (!err)
    return error_code::internal_error;
  if (err.category() == error_category && err.code() >= 1
      && err.code() <= wire_names.size())
    return static_cast<error_code>(err.code());
  if (err.category() == caf::atom("system")
      && err.code() == static_cast<uint8_t>(caf::sec::request_timeout))
    return error_code::timeout;
  return error_code::internal_error;
}

std::string explanation_of(const caf::error& err) {
  if (!err)
    return {};
  const auto& context = err.context();
  if (context.match_elements<std::string>())
    return context.get_as<std::string>(0);
  if (err.category() == error_category)
    return to_string(code_of(err));
  return caf::deep_to_string(err);
}

} // namespace parley
