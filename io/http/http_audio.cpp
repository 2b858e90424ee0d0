#include "io/http/http_audio.hpp"

#include <algorithm>
#include <chrono>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/request_validation.hpp"
#include "messages/error_code.hpp"

namespace parley {

heard_outcome transcribe_recording(caf::actor_system& sys,
                                   const router_actor& router,
                                   audio_request request) {
  caf::scoped_actor self{sys};
  // The scoped actor hears only its own request: any id will do.
  request.id = 1;
  request.target_langs.clear();
  self->send(router, std::move(request),
             caf::actor_cast<audio_sink>(self.ptr()));
  heard_outcome outcome;
  bool heard = false;
  bool done = false;
  self->receive_while([&] { return !done; })([](const audio_progress&) {},
                                             [&](audio_transcribed& event) {
                                               outcome.result =
                                                   std::move(event.result);
                                               heard = true;
                                             },
                                             [](const audio_translated&) {},
                                             [&](audio_done& event) {
                                               outcome.failure =
                                                   std::move(event.error);
                                               done = true;
                                             });
  if (!outcome.failure && !heard)
    outcome.failure = make_error(error_code::transcription_failed,
                                 "the recording was not transcribed");
  if (outcome.failure)
    outcome.result = {};
  return outcome;
}

caf::expected<encoded_speech> speak_text(caf::actor_system& sys,
                                         const http_backend& backend,
                                         synthesize_request request,
                                         const std::string& format) {
  if (!backend.synthesizer || !backend.codec)
    return make_error(error_code::model_unavailable,
                      "no speech synthesizer is configured");
  if (auto bad = validate_text(request.text, backend.max_text_chars))
    return bad;
  auto deadline = std::chrono::steady_clock::now() + backend.speech_timeout;
  auto left = [deadline] {
    return std::max(caf::timespan{0},
                    caf::timespan{deadline - std::chrono::steady_clock::now()});
  };
  caf::scoped_actor self{sys};
  caf::error failure;
  synthesis spoken;
  self->request(backend.synthesizer, left(), synthesize_atom::value,
                std::move(request))
      .receive([&](synthesis& x) { spoken = std::move(x); },
               [&](caf::error& err) { failure = std::move(err); });
  if (failure)
    return failure;
  encoded_speech speech;
  self->request(backend.codec, left(), encode_atom::value, std::move(spoken),
                format)
      .receive([&](encoded_speech& x) { speech = std::move(x); },
               [&](caf::error& err) { failure = std::move(err); });
  if (failure)
    return failure;
  return speech;
}

} // namespace parley
