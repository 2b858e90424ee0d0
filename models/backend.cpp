#include "models/backend.hpp"
#include "models/speech_backend.hpp"

#include <utility>

namespace parley {

translation_backend::~translation_backend() = default;
transcription_backend::~transcription_backend() = default;
synthesis_backend::~synthesis_backend() = default;

backend_options::backend_options(std::map<std::string, std::string> values)
    : values_(std::move(values)) {
}

std::string backend_options::get_string(const std::string& key,
                                        const std::string& fallback) const {
  auto i = values_.find(key);
  return i == values_.end() ? fallback : i->second;
}

long long backend_options::get_int(const std::string& key,
                                   long long fallback) const {
  auto i = values_.find(key);
  if (i == values_.end())
    return fallback;
  size_t used = 0;
  auto value = std::stoll(i->second, &used);
  if (used != i->second.size())
    throw std::invalid_argument("option " + key
                                + " is not an integer: " + i->second);
  return value;
}

bool backend_options::get_bool(const std::string& key, bool fallback) const {
  auto i = values_.find(key);
  if (i == values_.end())
    return fallback;
  if (i->second == "true")
    return true;
  if (i->second == "false")
    return false;
  throw std::invalid_argument("option " + key
                              + " is not a boolean: " + i->second);
}

void backend_options::set(const std::string& key, std::string value) {
  values_[key] = std::move(value);
}

bool backend_options::contains(const std::string& key) const {
  return values_.count(key) > 0;
}

} // namespace parley
