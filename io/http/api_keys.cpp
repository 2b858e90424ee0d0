#include "io/http/api_keys.hpp"

#include <algorithm>

#include <httplib.h>

#include "actors/request_validation.hpp"
#include "io/http/request_fields.hpp"
#include "messages/error_code.hpp"
#include "messages/secret.hpp"

namespace parley {

namespace {

using std::chrono::system_clock;

constexpr auto minute = std::chrono::seconds{60};
constexpr auto day = std::chrono::hours{24};

constexpr const char* missing_key = "missing_key";
constexpr const char* unknown_key = "unknown_key";
constexpr const char* over_requests = "requests_per_minute";
constexpr const char* over_characters = "characters_per_day";

/// Whole seconds of `wait`, rounded up, at least 1.
std::chrono::seconds seconds_up(system_clock::duration wait) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(wait);
  return std::max(seconds, std::chrono::seconds{1});
}

int64_t day_of(system_clock::time_point t) {
  return std::chrono::floor<std::chrono::hours>(t.time_since_epoch()).count()
         / 24;
}

/// What follows `prefix` in `header`, or empty.
std::string after(const std::string& header, const std::string& prefix) {
  if (header.size() <= prefix.size()
      || header.compare(0, prefix.size(), prefix) != 0)
    return {};
  return header.substr(prefix.size());
}

} // namespace

api_key_table::api_key_table(std::vector<api_key_config> keys,
                             clock_function now)
    : now_(std::move(now)) {
  for (auto& limits : keys)
    keys_.push_back(key_state{std::move(limits), {}, 0, 0});
  for (const auto* reason :
       {missing_key, unknown_key, over_requests, over_characters})
    refusals_[reason] = 0;
}

api_key_table::key_state* api_key_table::find(const std::string& key) {
  key_state* found = nullptr;
  // Every key is compared, so the time taken tells nothing of which matched.
  for (auto& state : keys_)
    if (secrets_equal(key, state.limits.key))
      found = &state;
  return found;
}

key_verdict api_key_table::refuse(const std::string& reason, caf::error failure,
                                  std::chrono::seconds retry_after) {
  ++refusals_[reason];
  return {std::move(failure), retry_after};
}

key_verdict api_key_table::check(const std::string& key, uint64_t characters) {
  auto now = now_();
  std::lock_guard<std::mutex> guard{mutex_};
  if (keys_.empty()) {
    characters_total_ += characters;
    return {};
  }
  if (key.empty())
    return refuse(missing_key,
                  make_error(error_code::unauthorized, "an API key is needed"));
  auto* state = find(key);
  if (state == nullptr)
    return refuse(unknown_key,
                  make_error(error_code::unauthorized, "invalid API key"));
  const auto& limits = state->limits;
  auto& recent = state->recent;
  while (!recent.empty() && recent.front() <= now - minute)
    recent.pop_front();
  if (limits.requests_per_minute > 0
      && recent.size() >= limits.requests_per_minute) {
    // A clock set back leaves future entries: wait no more than a minute.
    auto wait =
        std::min<system_clock::duration>(recent.front() + minute - now, minute);
    return refuse(over_requests,
                  make_error(error_code::rate_limited,
                             "too many requests: this key may make "
                                 + std::to_string(limits.requests_per_minute)
                                 + " a minute"),
                  seconds_up(wait));
  }
  auto today = day_of(now);
  if (state->day != today) {
    state->day = today;
    state->characters_today = 0;
  }
  if (limits.characters_per_day > 0
      && state->characters_today + characters > limits.characters_per_day) {
    auto midnight = system_clock::time_point{(today + 1) * day};
    return refuse(over_characters,
                  make_error(error_code::rate_limited,
                             "character limit reached: this key may submit "
                                 + std::to_string(limits.characters_per_day)
                                 + " characters a day (UTC)"),
                  seconds_up(midnight - now));
  }
  recent.push_back(now);
  state->characters_today += characters;
  characters_total_ += characters;
  return {};
}

std::optional<key_usage> api_key_table::usage(const std::string& key) {
  auto now = now_();
  std::lock_guard<std::mutex> guard{mutex_};
  if (keys_.empty())
    return key_usage{characters_total_, 0};
  auto* state = find(key);
  if (state == nullptr)
    return std::nullopt;
  auto today = state->day == day_of(now) ? state->characters_today : 0;
  return key_usage{today, state->limits.characters_per_day};
}

std::map<std::string, uint64_t> api_key_table::refusals() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return refusals_;
}

std::string presented_key(const httplib::Request& req,
                          const request_fields* fields) {
  auto authorization = req.get_header_value("Authorization");
  for (const auto* scheme : {"Bearer ", "DeepL-Auth-Key "})
    if (auto key = after(authorization, scheme); !key.empty())
      return key;
  for (const auto* field : {"api_key", "auth_key"}) {
    if (fields != nullptr && fields->has(field))
      return fields->get(field);
    if (req.has_param(field))
      return req.get_param_value(field);
  }
  return {};
}

uint64_t submitted_characters(const std::vector<std::string>& texts) {
  uint64_t characters = 0;
  for (const auto& text : texts) {
    auto length = utf8_length(text);
    characters += length == std::string::npos ? text.size() : length;
  }
  return characters;
}

caf::error admit_key(api_key_table& keys, const httplib::Request& req,
                     httplib::Response& res, uint64_t characters,
                     const request_fields* fields) {
  auto verdict = keys.check(presented_key(req, fields), characters);
  if (verdict.retry_after.count() > 0)
    res.set_header("Retry-After", std::to_string(verdict.retry_after.count()));
  return std::move(verdict.failure);
}

} // namespace parley
