#include "io/gateway/session_audio.hpp"

#include <utility>

#include <caf/actor_cast.hpp>
#include <spdlog/spdlog.h>

#include "io/gateway/audio_loader.hpp"
#include "io/gateway/gateway_audio_events.hpp"
#include "io/gateway/session_context.hpp"
#include "messages/error_code.hpp"

namespace parley {

void session_audio::start(gateway_audio request,
                          std::optional<voice_side> voice) {
  audio_request work;
  work.id = context_.next_request_id();
  work.audio = std::move(request.audio);
  work.language = request.language;
  work.target_langs = request.target_langs;
  work.model_type = request.model_type;
  work.output_format = request.output_format;
  work.mobile_text = request.mobile_text;
  work.mobile_language = request.mobile_language;
  work.mobile_confidence = request.mobile_confidence;
  work.mobile_segments = request.mobile_segments;
  auto id = work.id;
  if (!voice)
    audio_by_task_.emplace(request.task_key, id);
  else if (!voice->job_id.empty())
    jobs_.attach(voice->job_id, id);
  audio_tasks_.emplace(
      id, audio_task{std::move(request), std::move(voice), {}, {}});
  auto* self = context_.self;
  self->send(context_.setup.router, std::move(work),
             caf::actor_cast<audio_sink>(self));
}

void session_audio::fail(const gateway_audio& request,
                         const std::optional<voice_side>& voice,
                         const caf::error& reason) {
  if (!voice) {
    audio_by_task_.erase(request.task_key);
    context_.publish(encode_audio_error(request, reason, unix_seconds()));
    return;
  }
  jobs_.finish(*voice, {}, {}, reason);
}

void session_audio::on_audio(gateway_audio& request,
                             std::optional<voice_side> voice) {
  // A re-sent task still in flight is answered once, by the first request.
  if (!voice && audio_by_task_.count(request.task_key) > 0) {
    ++context_.counters.resent_merged;
    return;
  }
  if (request.audio_path.empty() && request.audio_base64.empty()) {
    start(std::move(request), std::move(voice));
    return;
  }
  // Reading a file or decoding base64 takes time: done on a thread of its
  // own, so the session goes on meanwhile.
  if (!voice)
    audio_by_task_.emplace(request.task_key, 0);
  audio_source source{std::move(request.audio_path),
                      std::move(request.audio_base64),
                      context_.setup.config.max_audio_bytes};
  request.audio_path.clear();
  request.audio_base64.clear();
  auto* self = context_.self;
  auto loader = spawn_audio_loader(self->system());
  self->request(loader, caf::infinite, std::move(source))
      .then(
          [this, request, voice](std::string& bytes) mutable {
            context_.guarded("audio loaded", [&] {
              audio_by_task_.erase(request.task_key);
              request.audio = std::move(bytes);
              start(std::move(request), std::move(voice));
            });
          },
          [this, request, voice](caf::error& err) {
            context_.guarded("audio not loaded",
                             [&] { fail(request, voice, err); });
          });
}

session_audio::audio_task* session_audio::task_of(uint64_t request_id) {
  auto task = audio_tasks_.find(request_id);
  return task == audio_tasks_.end() ? nullptr : &task->second;
}

void session_audio::on_progress(const audio_progress& progress) {
  auto* task = task_of(progress.request_id);
  if (task == nullptr || !task->voice || task->voice->job_id.empty())
    return;
  auto share = progress.total_ms == 0
                   ? 0.0
                   : 50.0 * progress.done_ms / progress.total_ms;
  jobs_.progress(*task->voice, share, "transcribing");
}

void session_audio::on_transcribed(audio_transcribed& event) {
  auto* task = task_of(event.request_id);
  if (task == nullptr)
    return;
  task->heard = std::move(event.result);
  if (task->voice) {
    if (!task->voice->job_id.empty())
      jobs_.progress(*task->voice, 50, "translating");
    return;
  }
  auto now = unix_seconds();
  context_.publish(
      task->request.type == "transcription_only"
          ? encode_transcription_completed(task->request, task->heard, now)
          : encode_transcription_ready(task->request, task->heard, now));
}

void session_audio::on_spoken(audio_translated& event) {
  auto* task = task_of(event.request_id);
  if (task == nullptr)
    return;
  if (event.error) {
    // A failed language has no event of its own; the completion lists the
    // languages that worked, and an error comes when none did.
    spdlog::warn("audio task {}: {} failed: {}", event.request_id,
                 event.target_lang, explanation_of(event.error));
    return;
  }
  if (task->voice) {
    if (!task->voice->job_id.empty() && event.total > 0)
      jobs_.progress(*task->voice,
                     50.0
                         + 50.0 * (event.total - event.remaining) / event.total,
                     "synthesizing");
  } else {
    context_.publish(
        encode_audio_translation(task->request, event, unix_seconds()));
  }
  task->spoken.push_back(std::move(event));
}

void session_audio::on_done(const audio_done& done) {
  auto found = audio_tasks_.find(done.request_id);
  if (found == audio_tasks_.end())
    return;
  auto& task = found->second;
  if (task.voice) {
    jobs_.finish(*task.voice, task.heard, task.spoken, done.error);
  } else {
    auto now = unix_seconds();
    if (done.error)
      context_.publish(encode_audio_error(task.request, done.error, now));
    else if (task.request.type == "audio_process")
      context_.publish(
          encode_audio_completed(task.request, task.heard, task.spoken, now));
    audio_by_task_.erase(task.request.task_key);
  }
  audio_tasks_.erase(found);
}

void session_audio::drop(uint64_t request_id) {
  audio_tasks_.erase(request_id);
}

} // namespace parley
