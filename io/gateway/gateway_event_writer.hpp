#pragma once

// What every event of the gateway protocol starts with, written in one
// place: the type and the ids of the request it answers.

#include <string>
#include <string_view>

#include <caf/error.hpp>

#include "io/encoding/json_writer.hpp"
#include "io/gateway/gateway_names.hpp"
#include "messages/gateway.hpp"

namespace parley {

/// Writes each id the request carried, verbatim, in one fixed order.
void write_ids(json_writer& out, const gateway_ids& ids);

/// Opens an event: `{"type": type` and the ids. The caller adds its fields
/// and closes the object.
json_writer& begin_event(json_writer& out, std::string_view type,
                         const gateway_ids& ids);

/// For a detected language (method other than `none`): `detectedLanguage`,
/// `detectionConfidence` and `detectionMethod`.
json_writer& write_detection(json_writer& out,
                             const language_detection& detection);

/// Writes `error` and `errorCode` from `reason`.
json_writer& write_error(json_writer& out, const caf::error& reason);

/// The error event the client of `type` waits for, refusing the whole
/// request: `translation_error`, `transcription_error`,
/// `audio_process_error`, `voice_api_error` (with `requestType`),
/// `voice_profile_error` (with `request_id`), or a plain `error` for a type
/// nobody waits on. `type_name` is the request's `type` as sent;
/// `request_id` and `user_id` are JSON texts, empty when absent.
std::string encode_refusal(request_type type, const std::string& type_name,
                           const gateway_ids& ids,
                           const std::string& request_id,
                           const std::string& user_id, const caf::error& reason,
                           double now);

} // namespace parley
