#pragma once

// Typed fields of a Hugging Face config.json, with errors that name the key.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::config_fields {

/// A required positive integer.
int64_t read_positive(const nlohmann::json& config, const char* key);

/// An optional token id: `fallback` when missing or null.
int64_t read_id(const nlohmann::json& config, const char* key,
                int64_t fallback);

/// An optional list of token ids: empty when missing or null.
std::vector<int64_t> read_ids(const nlohmann::json& config, const char* key);

} // namespace parley::config_fields
