#include "io/http/http_errors.hpp"

#include <nlohmann/json.hpp>

namespace parley {

int http_status_of(error_code code) {
  switch (code) {
  case error_code::invalid_request:
  case error_code::missing_audio:
  case error_code::audio_decode_failed:
  case error_code::unsupported_language:
    return 400;
  case error_code::unauthorized:
    return 401;
  case error_code::message_too_long:
    return 413;
  case error_code::rate_limited:
    return 429;
  case error_code::feature_unavailable:
    return 501;
  case error_code::model_unavailable:
  case error_code::overloaded:
    return 503;
  case error_code::timeout:
    return 504;
  default:
    return 500;
  }
}

void public_api_refusal::operator()(httplib::Response& res, int status,
                                    const std::string& why) const {
  res.status = status;
  res.set_content(nlohmann::json{{field, why}}.dump(), json_type);
}

void public_api_refusal::operator()(httplib::Response& res,
                                    const caf::error& failure) const {
  auto code = code_of(failure);
  auto status = code == error_code::unauthorized ? 403
                : code == error_code::overloaded ? 429
                                                 : http_status_of(code);
  (*this)(res, status, explanation_of(failure));
}

void reply_error(httplib::Response& res, error_code code,
                 const std::string& why) {
  res.status = http_status_of(code);
  res.set_content(
      nlohmann::json{{"error", why}, {"errorCode", to_string(code)}}.dump(),
      json_type);
}

void reply_error(httplib::Response& res, const caf::error& failure) {
  reply_error(res, code_of(failure), explanation_of(failure));
}

} // namespace parley
