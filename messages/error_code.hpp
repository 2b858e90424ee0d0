#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/optional.hpp>
#include <caf/string_view.hpp>

namespace parley {

/// Every failure a client can receive. The names on the wire (`to_string`) are
/// the `errorCode` values of the gateway protocol.
enum class error_code : uint8_t {
  /// The request is malformed: empty text, invalid UTF-8, missing fields.
  invalid_request = 1,
  /// An audio request carried no audio.
  missing_audio,
  /// The audio could not be decoded.
  audio_decode_failed,
  /// No configured model handles this language or language pair.
  unsupported_language,
  /// The text is longer than the configured limit.
  message_too_long,
  /// The model is not loaded, failed to load, or the server is shutting down.
  model_unavailable,
  /// The model's queue is full; retry later.
  overloaded,
  /// The request did not finish in time (request timeout or shutdown drain).
  timeout,
  /// The translation backend failed on this input.
  translation_failed,
  /// The speech recognizer failed on this input.
  transcription_failed,
  /// A bug or an unexpected failure inside Parley.
  internal_error,
  /// The request needs a feature Parley does not provide (voice cloning,
  /// speaker analysis, a history store).
  feature_unavailable,
  /// A worker node or an admin request presented no token, or a wrong one;
  /// or an HTTP request no API key, or a wrong one.
  unauthorized,
  /// An API key went over its requests per minute or characters per day.
  rate_limited,
};

/// The error category of `error_code` inside `caf::error`.
constexpr caf::atom_value error_category = caf::atom("parley");

/// Returns the wire name, e.g. `UNSUPPORTED_LANGUAGE`.
std::string to_string(error_code code);

/// Parses a wire name; returns `none` for an unknown name.
caf::optional<error_code> parse_error_code(caf::string_view name);

/// Wraps `code` into a CAF error without context.
caf::error make_error(error_code code);

/// Wraps `code` into a CAF error with a human-readable explanation.
caf::error make_error(error_code code, std::string explanation);

/// Returns the Parley code of `err`, or `internal_error` when `err` belongs to
/// another category (for example a CAF system error).
error_code code_of(const caf::error& err);

/// Returns the explanation attached to `err`, or a rendering of the error when
/// it carries none.
std::string explanation_of(const caf::error& err);

} // namespace parley
