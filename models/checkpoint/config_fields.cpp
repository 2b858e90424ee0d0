#include "models/checkpoint/config_fields.hpp"

#include <stdexcept>
#include <string>

namespace parley::config_fields {

int64_t read_positive(const nlohmann::json& config, const char* key) {
  auto field = config.find(key);
  if (field == config.end() || !field->is_number_integer()
      || field->get<int64_t>() <= 0)
    throw std::runtime_error(std::string{"config.json: '"} + key
                             + "' must be a positive integer");
  return field->get<int64_t>();
}

int64_t read_id(const nlohmann::json& config, const char* key,
                int64_t fallback) {
  auto field = config.find(key);
  if (field == config.end() || field->is_null())
    return fallback;
  if (!field->is_number_integer() || field->get<int64_t>() < 0)
    throw std::runtime_error(std::string{"config.json: '"} + key
                             + "' must be a token id");
  return field->get<int64_t>();
}

std::vector<int64_t> read_ids(const nlohmann::json& config, const char* key) {
  auto field = config.find(key);
  if (field == config.end() || field->is_null())
    return {};
  if (!field->is_array())
    throw std::runtime_error(std::string{"config.json: '"} + key
                             + "' must be a list of token ids");
  std::vector<int64_t> ids;
  for (const auto& id : *field) {
    if (!id.is_number_integer())
      throw std::runtime_error(std::string{"config.json: '"} + key
                               + "' must be a list of token ids");
    ids.push_back(id.get<int64_t>());
  }
  return ids;
}

} // namespace parley::config_fields
