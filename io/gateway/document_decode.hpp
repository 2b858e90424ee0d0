#pragma once

// The codec's decode of a request through a whole JSON document, the path
// every request took before plain translations got their single pass
// (io/gateway/translation_reader). Tests compare the two.

#include <string_view>
#include <vector>

#include "io/gateway/gateway_protocol.hpp"

namespace parley {

/// `decode_request` without the single pass: every frame is parsed into a
/// document, checked against its schema and read from there.
decoded_request
decode_request_via_document(const std::vector<std::string_view>& frames,
                            const gateway_config& config,
                            const server_identity& identity, double now);

} // namespace parley
