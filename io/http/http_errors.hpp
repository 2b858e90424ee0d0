#pragma once

#include <string>

#include <caf/error.hpp>
#include <httplib.h>

#include "messages/error_code.hpp"

namespace parley {

constexpr const char* json_type = "application/json";

/// The HTTP status of an error code: 400 for bad input, 401 for a missing
/// or wrong token, 413 for a long text, 429 for a key over its limit, 503 for a
/// model that cannot serve now, 504 for a timeout, 500 otherwise.
int http_status_of(error_code code);

/// How a public API (LibreTranslate, DeepL) refuses: `{field: why}`, with
/// 403 for a missing or wrong key and 429 for a limit as its clients
/// expect, and Parley's status otherwise.
struct public_api_refusal {
  const char* field;
  void operator()(httplib::Response& res, int status,
                  const std::string& why) const;
  void operator()(httplib::Response& res, const caf::error& failure) const;
};

/// Answers `{"error": why, "errorCode": CODE}` with the code's status.
void reply_error(httplib::Response& res, error_code code,
                 const std::string& why);

/// Answers `failure` as above, with its code and explanation.
void reply_error(httplib::Response& res, const caf::error& failure);

} // namespace parley
