#pragma once

// The events Parley publishes for audio work (transcription_only and
// audio_process). Pure code, like gateway_protocol.hpp.

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/gateway.hpp"
#include "messages/speech.hpp"

namespace parley {

/// `transcription_completed`, the answer to `transcription_only`.
std::string encode_transcription_completed(const gateway_audio& request,
                                           const transcription& heard,
                                           double now);

/// `transcription_ready`, the first event of `audio_process`.
std::string encode_transcription_ready(const gateway_audio& request,
                                       const transcription& heard, double now);

/// `transcription_error` or `audio_process_error`, by the request's type.
std::string encode_audio_error(const gateway_audio& request,
                               const caf::error& reason, double now);

/// One spoken translation: `audio_translation_ready` when one language was
/// asked, else `audio_translations_progressive`, the last one
/// `audio_translations_completed`. Frame 0 is the JSON, frame 1 the audio.
std::vector<std::string>
encode_audio_translation(const gateway_audio& request,
                         const audio_translated& spoken, double now);

/// `audio_process_completed`: the transcription, every spoken translation,
/// and their audio frames after the JSON, indexed in `binaryFrames`.
std::vector<std::string>
encode_audio_completed(const gateway_audio& request, const transcription& heard,
                       const std::vector<audio_translated>& spoken, double now);

} // namespace parley
