#pragma once

// The gateway's wire protocol, apart from the sockets: frames in, typed
// requests or ready-made replies out; typed results in, JSON events out. Pure
// code, tested without ZMQ.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/error.hpp>

#include "io/gateway/gateway_names.hpp"
#include "messages/gateway.hpp"
#include "messages/translation.hpp"

namespace parley {

/// The `[gateway]` settings: where to listen and what to accept.
struct gateway_config {
  /// Address the sockets bind to; 0.0.0.0 in a container.
  std::string bind = "127.0.0.1";
  uint16_t pull_port = 5555;
  uint16_t pub_port = 5558;
  /// 0 turns HTTP off.
  uint16_t http_port = 8000;
  /// Frames per message, frame 0 included.
  size_t max_frames = 16;
  /// Size of frame 0, the JSON.
  size_t max_json_bytes = 1 << 20;
  /// Size of any audio: a binary frame or decoded base64.
  size_t max_audio_bytes = 25 << 20;
  /// `audioPath` is honoured only for files under this directory; empty
  /// refuses every `audioPath`.
  std::string audio_dir;
  /// Whether `audioUrl` may be fetched. Parley fetches no URL yet, so a
  /// request with a non-empty one is refused either way; the switch
  /// documents intent. The gateway always sends `"audioUrl": ""`, which
  /// counts as absent.
  bool audio_url_fetch = false;
  /// Format of the spoken translations of `audio_process`: opus, mp3 or wav.
  std::string output_audio_format = "opus";
  /// Longest recording accepted, in seconds.
  double max_audio_seconds = 600;
  /// At shutdown, how long the PUB socket may still deliver the events
  /// handed to it before it closes: the last answers reach the gateway.
  std::chrono::milliseconds pub_linger{2000};
  /// Events queued for one subscriber before further ones are dropped (and
  /// counted): room for a burst of fan-out answers.
  size_t pub_hwm = 100000;
};

/// What the server says about itself in `pong` and event metadata.
struct server_identity {
  std::string version;
  /// Host name, reported as `processingNode`.
  std::string node;
  uint16_t pull_port = 0;
  uint16_t pub_port = 0;
  bool audio_pipeline_available = false;
};

/// A voice API request that the session answers from its own state:
/// `voice_translate[_async]` (with its audio in `decoded_request::audio`),
/// the job queries, and the server's languages, health and counters.
struct gateway_voice {
  request_type type = request_type::unknown;
  /// The request's `type`, echoed as `requestType`.
  std::string type_name;
  /// `taskId` as its JSON text.
  std::string task_id;
  std::string user_id;
  /// `jobId` for job status and cancel, as plain text.
  std::string job_id;
  /// `period` for `voice_stats`.
  std::string period;
  double received_at = 0;
};

/// One inbound message, decoded.
struct decoded_request {
  request_type type = request_type::unknown;
  /// Set for `translation` and `story_text_object_translation`.
  std::optional<gateway_translate> translate;
  /// Set for `transcription_only`, `audio_process` and
  /// `voice_translate[_async]`.
  std::optional<gateway_audio> audio;
  /// Set for the voice API requests the session answers.
  std::optional<gateway_voice> voice;
  /// Otherwise the JSON event to publish at once: a pong, an error, or an
  /// answer that needs no model.
  std::string reply;
};

/// Decodes the frames of one message. Never throws: anything malformed
/// becomes an error event of the type the request's client waits for,
/// carrying whatever ids could be read. JSON nested deeper than
/// `max_json_depth` is refused before it is parsed.
decoded_request decode_request(const std::vector<std::string_view>& frames,
                               const gateway_config& config,
                               const server_identity& identity, double now);
decoded_request decode_request(const std::vector<std::string>& frames,
                               const gateway_config& config,
                               const server_identity& identity, double now);

/// `translation_completed` for one language.
std::string encode_translation_completed(const gateway_translate& request,
                                         const translation& result,
                                         const server_identity& identity,
                                         double now);

/// `translation_error` for one target language. OVERLOADED carries the
/// `error` text the client retries on (`translation pool full`).
std::string encode_translation_error(const gateway_translate& request,
                                     const std::string& target,
                                     const caf::error& reason, double now);

/// `translation_skipped` for a text over the length limit; the client
/// ignores it, so a `translation_error` follows it.
std::string encode_translation_skipped(const gateway_translate& request,
                                       size_t length, size_t max_length,
                                       double now);

/// `story_text_object_translation_completed`, with the languages that
/// succeeded (possibly none) and, under `errors`, the code of each that
/// failed: the gateway's client knows no story error event. `sample` is one
/// of the translations, for the source language and its detection.
std::string encode_story_completed(
    const gateway_translate& request,
    const std::vector<std::pair<std::string, std::string>>& translations,
    const std::vector<std::pair<std::string, caf::error>>& failures, double now,
    const translation& sample = {});

/// Seconds since the epoch, as the gateway's timestamps are.
double unix_seconds();

/// Resolves `path` (absolute, or relative to `dir`) and returns it when it
/// names an existing file inside `dir` once `..` and symlinks are resolved;
/// otherwise an INVALID_REQUEST or MISSING_AUDIO error.
caf::expected<std::string> resolve_audio_path(const std::string& dir,
                                              const std::string& path);

} // namespace parley
