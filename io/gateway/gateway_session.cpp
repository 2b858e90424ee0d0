// The gateway session's actor: it owns the state of every part (text,
// audio, voice jobs, voice queries), decodes each inbound message and hands
// it to the part whose job it is, and flushes the events they queued.

#include "io/gateway/gateway_session.hpp"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "io/gateway/session_audio.hpp"
#include "io/gateway/session_context.hpp"
#include "io/gateway/session_text.hpp"
#include "io/gateway/voice_jobs.hpp"
#include "io/gateway/voice_queries.hpp"
#include "io/gateway/zmq_pull.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"

namespace parley {

namespace {

struct session_state {
  explicit session_state(caf::event_based_actor* self)
      : context(self), text(context), jobs(context), audio(context, jobs),
        queries(context, jobs, audio) {
  }

  session_context context;
  session_text text;
  voice_jobs jobs;
  session_audio audio;
  voice_queries queries;

  static inline const char* name = "gateway_session";
};

using session_pointer = caf::stateful_actor<session_state>*;

template <class F> void guarded(session_pointer self, const char* what, F&& f) {
  self->state.context.guarded(what, std::forward<F>(f));
}

void on_voice(session_state& st, decoded_request& decoded) {
  auto& voice = *decoded.voice;
  switch (voice.type) {
  case request_type::voice_translate:
    st.audio.on_audio(*decoded.audio, voice_side{voice, {}});
    return;
  case request_type::voice_translate_async: {
    auto job_id = st.jobs.open(voice);
    st.audio.on_audio(*decoded.audio, voice_side{voice, job_id});
    return;
  }
  case request_type::voice_job_status:
    return st.jobs.on_status(voice);
  case request_type::voice_job_cancel:
    if (auto running = st.jobs.on_cancel(voice))
      st.audio.drop(*running);
    return;
  case request_type::voice_stats:
    return st.queries.on_voice_stats(voice);
  case request_type::voice_admin_metrics:
    return st.queries.on_admin_metrics(voice);
  case request_type::voice_languages:
    return st.queries.ask_voice_info(voice, "languages");
  case request_type::voice_health:
    return st.queries.ask_voice_info(voice, "health");
  default:
    return st.context.refuse(
        voice,
        make_error(error_code::feature_unavailable,
                   "'" + voice.type_name + "' is not available on Parley"));
  }
}

void on_frames(session_state& st, const std::vector<std::string_view>& frames) {
  auto& context = st.context;
  ++context.counters.tasks;
  auto decoded = decode_request(frames, context.setup.config,
                                context.setup.identity, unix_seconds());
  if (decoded.voice)
    return on_voice(st, decoded);
  if (decoded.translate)
    return st.text.on_translate(*decoded.translate);
  if (decoded.audio)
    return st.audio.on_audio(*decoded.audio, std::nullopt);
  if (decoded.type != request_type::ping)
    ++context.counters.refused;
  context.publish(std::move(decoded.reply));
}

metrics session_metrics(const session_state& st) {
  const auto& counters = st.context.counters;
  metrics result;
  result.values["gateway_tasks_total"] = counters.tasks;
  result.values["gateway_resent_merged_total"] = counters.resent_merged;
  result.values["gateway_events_total"] = counters.events;
  result.values["gateway_refused_total"] = counters.refused;
  result.values["gateway_internal_errors_total"] = counters.internal_errors;
  result.values["gateway_tasks_active"] = st.text.active() + st.audio.active();
  result.values["gateway_voice_jobs_completed_total"] = st.jobs.completed();
  result.values["gateway_voice_jobs_failed_total"] = st.jobs.failed();
  return result;
}

caf::behavior session_behavior(session_pointer self, session_setup setup) {
  auto& st = self->state;
  st.context.setup = std::move(setup);
  auto liveness = st.context.setup.liveness;
  if (liveness)
    self->attach_functor(
        [liveness] { liveness->stopped(edge_liveness::gateway_session); });
  // Told to stop, it first hands its queued events to the PUB actor: the
  // flush it sent itself would arrive after the exit and never run.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    self->state.context.flush();
    self->quit(msg.reason);
  });
  return {
      [self](zmq_inbound& inbound) {
        std::vector<std::string_view> frames;
        for (auto& message : *inbound.messages)
          guarded(self, "inbound message", [&] {
            frames.clear();
            for (auto& part : message)
              frames.emplace_back(part.data<char>(), part.size());
            on_frames(self->state, frames);
          });
      },
      [self](caf::flush_atom) { self->state.context.flush(); },
      [self](const zmq_frames& inbound) {
        guarded(self, "inbound message", [&] {
          std::vector<std::string_view> frames(inbound.frames.begin(),
                                               inbound.frames.end());
          on_frames(self->state, frames);
        });
      },
      [self](translation& result) {
        guarded(self, "translation",
                [&] { self->state.text.on_translation(result); });
      },
      [self](translation_failure& failure) {
        guarded(self, "translation failure",
                [&] { self->state.text.on_failure(failure); });
      },
      [self](const translation_done& done) {
        guarded(self, "translation done",
                [&] { self->state.text.on_done(done); });
      },
      [self](const audio_progress& progress) {
        guarded(self, "audio progress",
                [&] { self->state.audio.on_progress(progress); });
      },
      [self](audio_transcribed& event) {
        guarded(self, "transcription",
                [&] { self->state.audio.on_transcribed(event); });
      },
      [self](audio_translated& event) {
        guarded(self, "spoken translation",
                [&] { self->state.audio.on_spoken(event); });
      },
      [self](const audio_done& done) {
        guarded(self, "audio done", [&] { self->state.audio.on_done(done); });
      },
      [self](stats_atom) { return session_metrics(self->state); },
  };
}

} // namespace

caf::actor spawn_gateway_session(caf::actor_system& sys, session_setup setup,
                                 session_placement placement) {
  if (placement == session_placement::own_thread)
    return sys.spawn<caf::detached>(session_behavior, std::move(setup));
  return sys.spawn(session_behavior, std::move(setup));
}

} // namespace parley
