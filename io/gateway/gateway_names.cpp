#include "io/gateway/gateway_names.hpp"

#include <utility>

namespace parley {

namespace {

constexpr std::pair<std::string_view, request_type> names[] = {
    {"ping", request_type::ping},
    {"translation", request_type::translation},
    {"story_text_object_translation",
     request_type::story_text_object_translation},
    {"transcription_only", request_type::transcription_only},
    {"audio_process", request_type::audio_process},
    {"voice_translate", request_type::voice_translate},
    {"voice_translate_async", request_type::voice_translate_async},
    {"voice_job_status", request_type::voice_job_status},
    {"voice_job_cancel", request_type::voice_job_cancel},
    {"voice_analyze", request_type::voice_analyze},
    {"voice_compare", request_type::voice_compare},
    {"voice_feedback", request_type::voice_feedback},
    {"voice_history", request_type::voice_history},
    {"voice_stats", request_type::voice_stats},
    {"voice_admin_metrics", request_type::voice_admin_metrics},
    {"voice_health", request_type::voice_health},
    {"voice_languages", request_type::voice_languages},
    {"voice_profile_analyze", request_type::voice_profile_analyze},
    {"voice_profile_verify", request_type::voice_profile_verify},
    {"voice_profile_compare", request_type::voice_profile_compare},
    {"voice_profile_get", request_type::voice_profile_store},
    {"voice_profile_create", request_type::voice_profile_store},
    {"voice_profile_update", request_type::voice_profile_store},
    {"voice_profile_delete", request_type::voice_profile_store},
    {"voice_profile_list", request_type::voice_profile_store},
};

} // namespace

request_type parse_request_type(std::string_view name) {
  for (const auto& [text, type] : names)
    if (text == name)
      return type;
  if (name.substr(0, 6) == "voice_")
    return request_type::voice_other;
  return request_type::unknown;
}

bool is_voice_api(request_type type) {
  return type >= request_type::voice_translate
         && type <= request_type::voice_other && !is_voice_profile(type);
}

bool is_voice_profile(request_type type) {
  return type == request_type::voice_profile_analyze
         || type == request_type::voice_profile_verify
         || type == request_type::voice_profile_compare;
}

} // namespace parley
