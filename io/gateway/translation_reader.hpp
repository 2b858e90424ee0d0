#pragma once

// The gateway's most frequent request, a plain `translation`, read in one
// SAX pass over frame 0 straight into its fields, without building a JSON
// document. It accepts only a request that is valid and unambiguous; for
// anything else (another type, a field of the wrong type, a duplicated
// field, a float id, nesting past the limit, malformed JSON) it declines,
// and the codec decodes the frame through the document as before, so that
// every refusal keeps its exact error event.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/gateway.hpp"

namespace parley {

/// What the codec reads from a `translation` request.
struct translation_fields {
  /// Each id as its JSON text, as `json::dump` writes the value sent.
  gateway_ids ids;
  /// Plain texts (a string without quotes, a number as written) of the ids
  /// the codec needs unquoted.
  std::string task_plain;
  std::string conversation_plain;
  std::string sender_plain;
  std::string user_plain;
  std::string text;
  /// `sourceLanguage`, or `auto` when absent or null.
  std::string source_lang = "auto";
  std::string model_type;
  std::string user_language;
  std::vector<std::string> target_langs;
};

/// The fields of `frame` when it is a valid `translation` request that the
/// single pass can take whole; nothing otherwise (the frame then goes
/// through the document decode, which gives the same result or the error).
std::optional<translation_fields>
read_plain_translation(std::string_view frame);

/// The JSON text `nlohmann::json(text).dump()` writes, without building a
/// document: ids are echoed in that form.
void append_json_string(std::string& out, std::string_view text);

} // namespace parley
