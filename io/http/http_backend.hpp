#pragma once

#include <cstddef>
#include <memory>

#include "io/gateway/gateway_protocol.hpp"
#include "io/http/api_keys.hpp"
#include "messages/detection.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// What HTTP serves from: actor handles and plain values, nothing of the
/// composition that made them.
struct http_backend {
  server_identity identity;
  router_actor router;
  admin_actor admin;
  /// Empty when detection is off.
  detect_function detect;
  /// Longest text accepted, in Unicode code points.
  size_t max_text_chars = 10000;
  /// The API keys every translation and detection route checks (see
  /// `admit_key`); `http_server` makes an empty table when none is given.
  std::shared_ptr<api_key_table> keys;
};

} // namespace parley
