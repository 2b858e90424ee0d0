#include "io/gateway/voice_info.hpp"

#include <map>
#include <memory>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "io/encoding/json_writer.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "io/gateway/gateway_voice_events.hpp"
#include "io/gateway/language_names.hpp"
#include "messages/admin.hpp"
#include "messages/error_code.hpp"
#include "messages/replica.hpp"

namespace parley {

namespace {

/// The languages of each task, over every model that is up.
struct task_languages {
  std::set<std::string> translation;
  std::set<std::string> transcription;
  std::set<std::string> synthesis;
  bool translation_up = false;
  bool transcription_up = false;
  bool synthesis_up = false;
};

task_languages gather(const server_status& status) {
  task_languages result;
  for (const auto& model : status.models) {
    if (!model.ready())
      continue; // not loaded
    const auto& languages = model.pool.languages;
    std::set<std::string> codes(languages.languages.begin(),
                                languages.languages.end());
    for (const auto& route : languages.routes) {
      codes.insert(route.source_lang);
      codes.insert(route.target_lang);
    }
    switch (model.task) {
    case model_task::translation:
      result.translation_up = true;
      result.translation.insert(codes.begin(), codes.end());
      break;
    case model_task::transcription:
      result.transcription_up = true;
      result.transcription.insert(codes.begin(), codes.end());
      break;
    case model_task::synthesis:
      result.synthesis_up = true;
      result.synthesis.insert(codes.begin(), codes.end());
      break;
    }
  }
  return result;
}

std::string languages_json(const server_status& status) {
  auto known = gather(status);
  std::set<std::string> all = known.translation;
  all.insert(known.transcription.begin(), known.transcription.end());
  all.insert(known.synthesis.begin(), known.synthesis.end());
  json_writer out;
  out.begin_array();
  for (const auto& code : all) {
    auto names = name_of_language(code);
    out.begin_object()
        .field("code", code)
        .field("name", names.name)
        .field("nativeName", names.native_name)
        .key("supportedFeatures")
        .begin_object()
        .field("transcription", known.transcription.count(code) > 0)
        .field("translation", known.translation.count(code) > 0)
        .field("tts", known.synthesis.count(code) > 0)
        .field("voiceClone", false)
        .end_object()
        .end_object();
  }
  return out.end_array().take();
}

std::string health_json(const server_status& server) {
  auto known = gather(server);
  auto up = int{known.translation_up} + int{known.transcription_up}
            + int{known.synthesis_up};
  // Parley's three voice services: all up is healthy. Voice cloning,
  // analytics and a database are not part of Parley and report false.
  const char* status = up == 3 ? "healthy" : up > 0 ? "degraded" : "unhealthy";
  json_writer out;
  out.begin_object()
      .field("status", status)
      .key("services")
      .begin_object()
      .field("transcription", known.transcription_up)
      .field("translation", known.translation_up)
      .field("tts", known.synthesis_up)
      .field("voiceClone", false)
      .field("analytics", false)
      .field("database", false)
      .end_object();
  // Median latencies are on /metrics; the voice API's fields stay 0 rather
  // than a guess.
  out.key("latency")
      .begin_object()
      .field("transcriptionMs", 0)
      .field("translationMs", 0)
      .field("ttsMs", 0)
      .end_object()
      .field("timestamp", iso_time(unix_seconds()));
  return out.end_object().take();
}

} // namespace

caf::actor spawn_voice_info(caf::actor_system& sys, admin_actor admin,
                            caf::timespan status_timeout) {
  return sys.spawn([admin, status_timeout](
                       caf::event_based_actor* self) -> caf::behavior {
    return {
        [self, admin,
         status_timeout](const std::string& what) -> caf::result<std::string> {
          if (what != "languages" && what != "health")
            return make_error(error_code::invalid_request,
                              "unknown question '" + what + "'");
          auto promise = self->make_response_promise<std::string>();
          // The admin actor answers by `status_timeout`.
          self->request(admin, caf::infinite, status_atom::value,
                        status_timeout)
              .then(
                  [promise, what](server_status& status) mutable {
                    promise.deliver(what == "languages" ? languages_json(status)
                                                        : health_json(status));
                  },
                  [promise](caf::error& err) mutable {
                    promise.deliver(std::move(err));
                  });
          return promise;
        },
    };
  });
}

} // namespace parley
