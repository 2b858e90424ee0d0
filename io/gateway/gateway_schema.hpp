#pragma once

// The fields of every request the gateway sends, with their JSON types, as
// its client declares them. The codec checks a request against its schema
// before reading anything, so that no field of the wrong type reaches code
// that assumes its type.

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "io/gateway/gateway_names.hpp"

namespace parley {

/// Why a request cannot be served: the first field missing or of the wrong
/// type, named.
struct schema_violation {
  std::string why;
};

/// Checks `request` (an object) against the schema of `type`: every
/// required field is present and not null, and every known field present is
/// of its type, nested objects included. Unknown fields are allowed, as the
/// client adds some over time.
std::optional<schema_violation> check_schema(request_type type,
                                             const nlohmann::json& request);

} // namespace parley
