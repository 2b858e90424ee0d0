#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "io/gateway/gateway_protocol.hpp"
#include "io/http/api_keys.hpp"
#include "io/http/file_store.hpp"
#include "messages/detection.hpp"
#include "messages/fwd.hpp"
#include "messages/telemetry.hpp"

namespace parley {

/// What HTTP serves from: actor handles and plain values, nothing of the
/// composition that made them.
struct http_backend {
  server_identity identity;
  router_actor router;
  admin_actor admin;
  /// What answers `/dashboard/summary` (the admin actor); invalid: the
  /// dashboard answers 503.
  dashboard_source dashboard;
  /// Empty when detection is off.
  detect_function detect;
  /// Longest text accepted, in Unicode code points.
  size_t max_text_chars = 10000;
  /// The API keys every translation and detection route checks (see
  /// `admit_key`); `http_server` makes an empty table when none is given.
  std::shared_ptr<api_key_table> keys;
  /// The translated files LibreTranslate's `/download_file` serves;
  /// `http_server` makes one with the default bounds when none is given.
  std::shared_ptr<file_store> files;
  /// What speaks a text without a recording (OpenAI's `/v1/audio/speech`):
  /// the synthesizer's pool and the codec; invalid when none is configured.
  pool_actor synthesizer;
  codec_actor codec;
  /// How long speaking and encoding one text may take, together.
  std::chrono::milliseconds speech_timeout{120000};
};

} // namespace parley
