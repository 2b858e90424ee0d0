#include "io/gateway/voice_queries.hpp"

#include <chrono>
#include <string_view>
#include <utility>

#include "io/encoding/json_writer.hpp"
#include "io/gateway/gateway_voice_events.hpp"
#include "io/gateway/process_usage.hpp"
#include "io/gateway/session_audio.hpp"
#include "io/gateway/session_context.hpp"
#include "io/gateway/voice_jobs.hpp"
#include "messages/error_code.hpp"

namespace parley {

void voice_queries::on_voice_stats(const gateway_voice& voice) {
  user_counters none;
  const auto* user = jobs_.user(voice.user_id);
  const auto& counters = user == nullptr ? none : *user;
  json_writer out;
  out.begin_object().raw_field("userId", voice.user_id.empty()
                                             ? std::string_view{"null"}
                                             : voice.user_id);
  out.field("totalTranslations", counters.translations)
      .field("totalAudioMinutes", counters.audio_ms / 60000)
      .key("languagesUsed")
      .begin_array();
  for (const auto& lang : counters.languages)
    out.string(lang);
  out.end_array()
      .field("averageProcessingTimeMs",
             counters.translations == 0
                 ? 0.0
                 : counters.processing_ms / counters.translations)
      // Parley keeps no feedback or profiles.
      .field("averageFeedbackRating", 0.0)
      .field("feedbackCount", 0)
      .field("profileCount", 0)
      .field("periodStart", iso_time(context_.started_at))
      .field("periodEnd", iso_time(unix_seconds()));
  context_.answer(voice, out.end_object().take());
}

void voice_queries::on_admin_metrics(const gateway_voice& voice) {
  auto uptime = unix_seconds() - context_.started_at;
  auto finished = jobs_.completed() + jobs_.failed();
  json_writer out;
  out.begin_object()
      .field("activeJobs", static_cast<uint64_t>(audio_.active()))
      .field("queuedJobs", static_cast<uint64_t>(jobs_.unfinished()))
      .field("completedToday", jobs_.completed())
      .field("failedToday", jobs_.failed())
      .field("averageProcessingTimeMs",
             finished == 0 ? 0.0 : jobs_.processing_ms() / finished)
      .field("cpuUsage",
             uptime > 0 ? 100 * process_cpu_seconds() / uptime : 0.0)
      .field("memoryUsageMb", process_resident_mb())
      .key("modelsLoaded")
      .begin_array();
  for (const auto& model : context_.setup.models)
    out.string(model);
  out.end_array()
      .field("uptime", uptime)
      .field("version", context_.setup.identity.version);
  context_.answer(voice, out.end_object().take());
}

void voice_queries::ask_voice_info(const gateway_voice& voice,
                                   std::string what) {
  if (!context_.setup.voice_info)
    return context_.refuse(voice,
                           make_error(error_code::feature_unavailable,
                                      "this server does not report " + what));
  auto* context = &context_;
  context_.self
      ->request(context_.setup.voice_info, std::chrono::seconds(4),
                std::move(what))
      .then([context,
             voice](std::string& result) { context->answer(voice, result); },
            [context, voice](caf::error& err) { context->refuse(voice, err); });
}

} // namespace parley
