#pragma once

// One request of every type the gateway sends, each with every field its
// client may set (see docs/protocol.md), for codec and
// process tests.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::test {

struct gateway_sample {
  nlohmann::json request;
  std::vector<std::string> binary;
  /// The event a refusal of this request must be.
  std::string error_type;
  /// The id a refusal echoes, and its key.
  std::string id_key;
};

std::vector<gateway_sample> gateway_samples();

/// A value of a type the field holding `value` does not take.
nlohmann::json wrong_type_for(const nlohmann::json& value);

} // namespace parley::test
