#pragma once

// API keys and their limits for every HTTP API (Parley's own routes,
// LibreTranslate, DeepL, OpenAI). The table is edge state, not actor state:
// handlers on many threads check it at once, under one mutex.
//
// Limits:
// - requests per minute, over a sliding window: a request is admitted when
//   fewer than N requests of the same key were admitted in the 60 seconds
//   before it;
// - characters per day, over UTC calendar days: the code points of the texts
//   submitted for translation, reset at 00:00 UTC.
// A refused request counts against neither.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>

namespace httplib {
struct Request;
struct Response;
} // namespace httplib

namespace parley {

class request_fields;

/// One `[[http.api_keys]]` table.
struct api_key_config {
  std::string key;
  /// Requests admitted in any 60 seconds; 0: no limit.
  uint64_t requests_per_minute = 0;
  /// Characters submitted for translation per UTC day; 0: no limit.
  uint64_t characters_per_day = 0;
};

/// The answer of a key check.
struct key_verdict {
  /// None when admitted; UNAUTHORIZED for a missing or unknown key,
  /// RATE_LIMITED for a key over a limit.
  caf::error failure;
  /// For RATE_LIMITED: seconds until the request would be admitted, at
  /// least 1.
  std::chrono::seconds retry_after{0};

  bool admitted() const {
    return !failure;
  }
};

/// Characters counted for DeepL's `/v2/usage`.
struct key_usage {
  /// Today's characters of one key; with no keys configured, every
  /// character admitted since the server started.
  uint64_t characters = 0;
  /// The key's daily limit; 0: none.
  uint64_t characters_per_day = 0;
};

/// The configured keys, what each used, and why requests were refused.
class api_key_table {
public:
  using clock_function = std::function<std::chrono::system_clock::time_point()>;

  /// Keys must be distinct and not empty (the configuration checks it).
  /// `now` is the time source; tests move it by hand.
  explicit api_key_table(std::vector<api_key_config> keys = {},
                         clock_function now = &std::chrono::system_clock::now);

  /// False when no key is configured: every request is admitted, with any
  /// key or none, and only counted.
  bool keys_required() const {
    return !keys_.empty();
  }

  /// Admits or refuses one request presenting `key` (empty: none) that
  /// submits `characters` for translation. An admitted request counts
  /// against the key's limits.
  key_verdict check(const std::string& key, uint64_t characters);

  /// What `key` used today; none for a key that would be refused as
  /// missing or unknown.
  std::optional<key_usage> usage(const std::string& key);

  /// Refusals since the start by reason (`missing_key`, `unknown_key`,
  /// `requests_per_minute`, `characters_per_day`), every reason listed.
  std::map<std::string, uint64_t> refusals() const;

private:
  struct key_state {
    api_key_config limits;
    /// Admitted requests of the last 60 seconds, oldest first.
    std::deque<std::chrono::system_clock::time_point> recent;
    /// Days since the epoch (UTC) that `characters_today` counts.
    int64_t day = 0;
    uint64_t characters_today = 0;
  };

  /// The state of `key`, compared in constant time against every key;
  /// null when none matches. Called under `mutex_`.
  key_state* find(const std::string& key);

  /// Refuses for `reason`. Called under `mutex_`.
  key_verdict refuse(const std::string& reason, caf::error failure,
                     std::chrono::seconds retry_after = {});

  clock_function now_;
  mutable std::mutex mutex_;
  std::vector<key_state> keys_;
  uint64_t characters_total_ = 0;
  std::map<std::string, uint64_t> refusals_;
};

/// The key `req` presents: `Authorization: Bearer KEY` (Parley, OpenAI) or
/// `Authorization: DeepL-Auth-Key KEY`, else the field `api_key`
/// (LibreTranslate) or `auth_key` (DeepL's legacy one) of `fields` (the
/// body, when read) or of the query. Empty when it presents none.
std::string presented_key(const httplib::Request& req,
                          const request_fields* fields = nullptr);

/// The characters of `texts` as the limits count them: code points, or bytes
/// for a text that is not valid UTF-8.
uint64_t submitted_characters(const std::vector<std::string>& texts);

/// The one-line check for a route: checks the key `req` presents for
/// `characters`, sets `Retry-After` on `res` when a limit refuses it, and
/// returns the failure for the route to answer in its API's shape; none
/// when admitted.
caf::error admit_key(api_key_table& keys, const httplib::Request& req,
                     httplib::Response& res, uint64_t characters = 0,
                     const request_fields* fields = nullptr);

} // namespace parley
