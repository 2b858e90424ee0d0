#include "io/gateway_session.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/request_validation.hpp"
#include "io/audio_loader.hpp"
#include "io/gateway_audio_events.hpp"
#include "io/gateway_event_writer.hpp"
#include "io/gateway_voice_events.hpp"
#include "io/json_writer.hpp"
#include "io/process_usage.hpp"
#include "io/voice_jobs.hpp"
#include "io/zmq_pub.hpp"
#include "io/zmq_pull.hpp"
#include "messages/error_code.hpp"
#include "messages/gateway.hpp"
#include "messages/metrics.hpp"
#include "messages/speech.hpp"

namespace parley {

namespace {

constexpr const char* story_type = "story_text_object_translation";
/// Finished async voice jobs kept for `voice_job_status`.
constexpr size_t max_finished_jobs = 1000;
/// Users whose counters `voice_stats` keeps.
constexpr size_t max_voice_users = 10000;

/// One router request made for a gateway text task.
struct task_entry {
  gateway_translate request;
  /// Languages asked and not answered yet, as the gateway spelled them.
  std::vector<std::string> pending;
  /// Story objects answer once, with every language that succeeded.
  std::vector<std::pair<std::string, std::string>> story;
  std::vector<std::pair<std::string, caf::error>> story_failures;
  /// A story's last translation: its source language and detection.
  translation source;
};

/// The voice API side of an audio job.
struct voice_side {
  gateway_voice request;
  /// Set for `voice_translate_async`.
  std::string job_id;
};

/// One audio request made for a gateway job.
struct audio_task {
  gateway_audio request;
  std::optional<voice_side> voice;
  transcription heard;
  std::vector<audio_translated> spoken;
};

/// What `voice_stats` reports for one user, since the server started.
struct user_counters {
  uint64_t translations = 0;
  double audio_ms = 0;
  double processing_ms = 0;
  std::vector<std::string> languages;
};

struct session_state {
  session_setup setup;
  std::unordered_map<uint64_t, task_entry> by_request;
  /// Task id to the router requests still in flight for it.
  std::unordered_map<std::string, std::vector<uint64_t>> by_task;
  std::unordered_map<uint64_t, audio_task> audio_tasks;
  /// Task key to its audio request in flight: the gateway re-sends a task
  /// after 30 s without an answer, and long recordings take longer.
  std::unordered_map<std::string, uint64_t> audio_by_task;
  /// Async voice jobs by job id, and the order finished ones are dropped in.
  std::unordered_map<std::string, voice_job> jobs;
  std::vector<std::string> finished_jobs;
  /// Job id to its audio request, while it runs.
  std::unordered_map<std::string, uint64_t> job_requests;
  std::map<std::string, user_counters> users;
  uint64_t next_request_id = 1;
  uint64_t next_job = 1;
  uint64_t tasks = 0;
  uint64_t resent_merged = 0;
  uint64_t events = 0;
  uint64_t refused = 0;
  uint64_t internal_errors = 0;
  uint64_t voice_completed = 0;
  uint64_t voice_failed = 0;
  double voice_processing_ms = 0;
  double started_at = unix_seconds();
  zmq_outbound outbox;
  bool flush_pending = false;

  static inline const char* name = "gateway_session";
};

using session_pointer = caf::stateful_actor<session_state>*;

/// The task id without JSON quotes.
std::string plain_task_id(const gateway_voice& voice) {
  const auto& id = voice.task_id;
  if (id.size() >= 2 && id.front() == '"')
    return nlohmann::json::parse(id).get<std::string>();
  return id;
}

/// Queues an event. The queue goes out when the session has worked
/// through what is in its mailbox now: a flush message sent to itself
/// arrives after those, so a burst of requests costs one hand-off to the
/// PUB thread.
void publish(session_pointer self, std::vector<std::string> frames) {
  auto& st = self->state;
  ++st.events;
  st.outbox.messages.push_back(std::move(frames));
  if (!st.flush_pending) {
    st.flush_pending = true;
    self->send(self, caf::flush_atom::value);
  }
}

void flush(session_pointer self) {
  auto& st = self->state;
  st.flush_pending = false;
  if (!st.outbox.messages.empty())
    self->send(st.setup.publisher, std::exchange(st.outbox, zmq_outbound{}));
}

void publish(session_pointer self, std::string event) {
  publish(self, std::vector<std::string>{std::move(event)});
}

/// Runs one handler; whatever it throws is logged and counted, never lets
/// the session die.
template <class F>
void guarded(session_pointer self, const char* what, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    ++self->state.internal_errors;
    spdlog::error("gateway session: {}: {}", what, e.what());
  } catch (...) {
    ++self->state.internal_errors;
    spdlog::error("gateway session: {}: unknown exception", what);
  }
}

// -- text ---------------------------------------------------------------------

/// The languages of `request` that no in-flight request of its task covers.
std::vector<std::string> uncovered(session_state& st,
                                   const gateway_translate& request) {
  std::vector<std::string> result = request.target_langs;
  auto task = st.by_task.find(request.task_key);
  if (task == st.by_task.end())
    return result;
  for (auto id : task->second) {
    const auto& pending = st.by_request[id].pending;
    result.erase(std::remove_if(result.begin(), result.end(),
                                [&](const std::string& lang) {
                                  return std::find(pending.begin(),
                                                   pending.end(), lang)
                                         != pending.end();
                                }),
                 result.end());
  }
  return result;
}

void on_translate(session_pointer self, gateway_translate& request) {
  auto& st = self->state;
  // A request naming no language goes on, so that the router refuses it.
  if (request.type != story_type && !request.target_langs.empty()) {
    auto targets = uncovered(st, request);
    if (targets.empty()) {
      ++st.resent_merged;
      return; // the task in flight answers these languages
    }
    if (targets.size() < request.target_langs.size())
      ++st.resent_merged;
    request.target_langs = std::move(targets);
  }
  auto id = st.next_request_id++;
  translate_request work{id, request.model_type, request.source_lang,
                         request.target_langs, request.text,
                         lane::interactive, request.source_hints};
  st.by_task[request.task_key].push_back(id);
  st.by_request.emplace(id, task_entry{std::move(request), work.target_langs,
                                       {}, {}, {}});
  self->send(st.setup.router, std::move(work),
             caf::actor_cast<translation_sink>(self));
}

void on_translation(session_pointer self, translation& result) {
  auto& st = self->state;
  auto entry = st.by_request.find(result.request_id);
  if (entry == st.by_request.end()
      || !take(entry->second.pending, result.target_lang))
    return;
  if (entry->second.request.type == story_type) {
    entry->second.story.emplace_back(result.target_lang, result.text);
    entry->second.source = std::move(result);
    return;
  }
  publish(self, encode_translation_completed(entry->second.request, result,
                                             st.setup.identity,
                                             unix_seconds()));
}

void on_failure(session_pointer self, translation_failure& failure) {
  auto& st = self->state;
  auto entry = st.by_request.find(failure.request_id);
  if (entry == st.by_request.end())
    return;
  auto& task = entry->second;
  std::vector<std::string> failed;
  if (failure.target_lang.empty()) {
    // The request was refused as a whole: every language it named, or one
    // event without a language when it named none.
    failed.swap(task.pending);
    if (failed.empty())
      failed.emplace_back();
  } else if (take(task.pending, failure.target_lang))
    failed.push_back(failure.target_lang);
  if (task.request.type == story_type) {
    for (const auto& lang : failed)
      task.story_failures.emplace_back(lang, failure.reason);
    return;
  }
  auto now = unix_seconds();
  if (!failed.empty() && code_of(failure.reason) == error_code::message_too_long)
    // For parity with the replaced service; the client ignores it and
    // waits for the error below.
    publish(self, encode_translation_skipped(task.request,
                                             utf8_length(task.request.text),
                                             st.setup.max_text_chars, now));
  for (const auto& lang : failed)
    publish(self,
            encode_translation_error(task.request, lang, failure.reason, now));
}

void on_done(session_pointer self, const translation_done& done) {
  auto& st = self->state;
  auto entry = st.by_request.find(done.request_id);
  if (entry == st.by_request.end())
    return;
  auto& task = entry->second;
  if (task.request.type == story_type)
    publish(self, encode_story_completed(task.request, task.story,
                                         task.story_failures, unix_seconds(),
                                         task.source));
  auto siblings = st.by_task.find(task.request.task_key);
  if (siblings != st.by_task.end()) {
    auto& ids = siblings->second;
    ids.erase(std::remove(ids.begin(), ids.end(), done.request_id), ids.end());
    if (ids.empty())
      st.by_task.erase(siblings);
  }
  st.by_request.erase(entry);
}

// -- voice jobs ---------------------------------------------------------------

void remember_finished(session_state& st, const std::string& job_id) {
  st.finished_jobs.push_back(job_id);
  if (st.finished_jobs.size() > max_finished_jobs) {
    st.jobs.erase(st.finished_jobs.front());
    st.finished_jobs.erase(st.finished_jobs.begin());
  }
}

void count_user(session_state& st, const audio_task& task, double elapsed_ms) {
  if (!task.voice || task.voice->request.user_id.empty())
    return;
  auto& user = st.users[task.voice->request.user_id];
  if (st.users.size() > max_voice_users)
    st.users.erase(st.users.begin());
  ++user.translations;
  user.audio_ms += task.heard.duration_ms;
  user.processing_ms += elapsed_ms;
  for (const auto& spoken : task.spoken)
    if (std::find(user.languages.begin(), user.languages.end(),
                  spoken.target_lang)
        == user.languages.end())
      user.languages.push_back(spoken.target_lang);
}

void job_progress(session_pointer self, const voice_side& voice, double progress,
                  const std::string& step) {
  auto& st = self->state;
  auto job = st.jobs.find(voice.job_id);
  if (job == st.jobs.end()
      || job->second.status == voice_job_status::cancelled)
    return;
  job->second.status = voice_job_status::processing;
  job->second.progress = progress;
  job->second.current_step = step;
  publish(self, encode_voice_job_progress(voice.request.task_id, voice.job_id,
                                          progress, step, unix_seconds()));
}

/// The end of a voice_translate job: the answer the client waits for.
void finish_voice(session_pointer self, audio_task& task,
                  const caf::error& error) {
  auto& st = self->state;
  auto& voice = *task.voice;
  auto now = unix_seconds();
  auto elapsed_ms = (now - voice.request.received_at) * 1000;
  auto translation_id = voice.job_id.empty() ? plain_task_id(voice.request)
                                             : voice.job_id;
  std::string result;
  if (!error) {
    ++st.voice_completed;
    st.voice_processing_ms += elapsed_ms;
    count_user(st, task, elapsed_ms);
    result = voice_translation_result(translation_id, task.heard, task.spoken,
                                      elapsed_ms);
  } else {
    ++st.voice_failed;
  }
  if (voice.job_id.empty()) {
    publish(self, error ? encode_voice_error(voice.request.task_id,
                                             voice.request.type_name, error,
                                             now)
                        : encode_voice_success(voice.request.task_id,
                                               voice.request.type_name, result,
                                               elapsed_ms, now));
    return;
  }
  st.job_requests.erase(voice.job_id);
  auto job = st.jobs.find(voice.job_id);
  if (job == st.jobs.end()
      || job->second.status == voice_job_status::cancelled)
    return;
  job->second.completed_at = now;
  job->second.progress = 100;
  job->second.current_step = "done";
  if (error) {
    job->second.status = voice_job_status::failed;
    job->second.error = error;
    publish(self, encode_voice_translation_failed(voice.job_id,
                                                  voice.request.user_id, error,
                                                  now));
  } else {
    job->second.status = voice_job_status::completed;
    job->second.result = result;
    publish(self, encode_voice_translation_completed(
                    voice.job_id, voice.request.user_id, result, now));
  }
  remember_finished(st, voice.job_id);
}

// -- audio --------------------------------------------------------------------

void start_audio(session_pointer self, gateway_audio request,
                 std::optional<voice_side> voice) {
  auto& st = self->state;
  audio_request work;
  work.id = st.next_request_id++;
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
    st.audio_by_task.emplace(request.task_key, id);
  else if (!voice->job_id.empty())
    st.job_requests[voice->job_id] = id;
  st.audio_tasks.emplace(id, audio_task{std::move(request), std::move(voice),
                                        {}, {}});
  self->send(st.setup.router, std::move(work),
             caf::actor_cast<audio_sink>(self));
}

/// Answers an audio job that failed before it reached the router.
void fail_audio(session_pointer self, const gateway_audio& request,
                const std::optional<voice_side>& voice,
                const caf::error& reason) {
  if (!voice) {
    self->state.audio_by_task.erase(request.task_key);
    publish(self, encode_audio_error(request, reason, unix_seconds()));
    return;
  }
  audio_task task{request, voice, {}, {}};
  finish_voice(self, task, reason);
}

void on_audio(session_pointer self, gateway_audio& request,
              std::optional<voice_side> voice) {
  auto& st = self->state;
  // A re-sent task still in flight is answered once, by the first request.
  if (!voice && st.audio_by_task.count(request.task_key) > 0) {
    ++st.resent_merged;
    return;
  }
  if (request.audio_path.empty() && request.audio_base64.empty()) {
    start_audio(self, std::move(request), std::move(voice));
    return;
  }
  // Reading a file or decoding base64 takes time: done on a thread of its
  // own, so the session goes on meanwhile.
  if (!voice)
    st.audio_by_task.emplace(request.task_key, 0);
  audio_source source{std::move(request.audio_path),
                      std::move(request.audio_base64),
                      st.setup.config.max_audio_bytes};
  request.audio_path.clear();
  request.audio_base64.clear();
  auto loader = spawn_audio_loader(self->system());
  self->request(loader, caf::infinite, std::move(source))
    .then(
      [self, request, voice](std::string& bytes) mutable {
        guarded(self, "audio loaded", [&] {
          self->state.audio_by_task.erase(request.task_key);
          request.audio = std::move(bytes);
          start_audio(self, std::move(request), std::move(voice));
        });
      },
      [self, request, voice](caf::error& err) {
        guarded(self, "audio not loaded",
                [&] { fail_audio(self, request, voice, err); });
      });
}

audio_task* audio_task_of(session_pointer self, uint64_t id) {
  auto task = self->state.audio_tasks.find(id);
  return task == self->state.audio_tasks.end() ? nullptr : &task->second;
}

void on_progress(session_pointer self, const audio_progress& progress) {
  auto* task = audio_task_of(self, progress.request_id);
  if (task == nullptr || !task->voice || task->voice->job_id.empty())
    return;
  auto share = progress.total_ms == 0
                 ? 0.0
                 : 50.0 * progress.done_ms / progress.total_ms;
  job_progress(self, *task->voice, share, "transcribing");
}

void on_transcribed(session_pointer self, audio_transcribed& event) {
  auto* task = audio_task_of(self, event.request_id);
  if (task == nullptr)
    return;
  task->heard = std::move(event.result);
  if (task->voice) {
    if (!task->voice->job_id.empty())
      job_progress(self, *task->voice, 50, "translating");
    return;
  }
  auto now = unix_seconds();
  publish(self, task->request.type == "transcription_only"
                  ? encode_transcription_completed(task->request, task->heard,
                                                   now)
                  : encode_transcription_ready(task->request, task->heard,
                                               now));
}

void on_spoken(session_pointer self, audio_translated& event) {
  auto* task = audio_task_of(self, event.request_id);
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
      job_progress(self, *task->voice,
                   50.0 + 50.0 * (event.total - event.remaining) / event.total,
                   "synthesizing");
  } else {
    publish(self, encode_audio_translation(task->request, event,
                                           unix_seconds()));
  }
  task->spoken.push_back(std::move(event));
}

void on_audio_done(session_pointer self, const audio_done& done) {
  auto& st = self->state;
  auto found = st.audio_tasks.find(done.request_id);
  if (found == st.audio_tasks.end())
    return;
  auto& task = found->second;
  if (task.voice) {
    finish_voice(self, task, done.error);
  } else {
    auto now = unix_seconds();
    if (done.error)
      publish(self, encode_audio_error(task.request, done.error, now));
    else if (task.request.type == "audio_process")
      publish(self, encode_audio_completed(task.request, task.heard,
                                           task.spoken, now));
    st.audio_by_task.erase(task.request.task_key);
  }
  st.audio_tasks.erase(found);
}

// -- voice queries ------------------------------------------------------------

void answer(session_pointer self, const gateway_voice& voice,
            const std::string& result) {
  publish(self, encode_voice_success(voice.task_id, voice.type_name, result,
                                     (unix_seconds() - voice.received_at)
                                       * 1000,
                                     unix_seconds()));
}

void refuse(session_pointer self, const gateway_voice& voice,
            const caf::error& reason) {
  publish(self, encode_voice_error(voice.task_id, voice.type_name, reason,
                                   unix_seconds()));
}

void on_job_status(session_pointer self, const gateway_voice& voice) {
  auto job = self->state.jobs.find(voice.job_id);
  if (job == self->state.jobs.end())
    return refuse(self, voice,
                  make_error(error_code::invalid_request,
                             "no voice job '" + voice.job_id + "'"));
  answer(self, voice, voice_job_json(job->second));
}

void on_job_cancel(session_pointer self, const gateway_voice& voice) {
  auto& st = self->state;
  auto job = st.jobs.find(voice.job_id);
  if (job == st.jobs.end())
    return refuse(self, voice,
                  make_error(error_code::invalid_request,
                             "no voice job '" + voice.job_id + "'"));
  json_writer out;
  out.begin_object();
  auto& status = job->second.status;
  if (status == voice_job_status::pending
      || status == voice_job_status::processing) {
    status = voice_job_status::cancelled;
    job->second.completed_at = unix_seconds();
    // The audio request is dropped: its events are no longer published.
    auto running = st.job_requests.find(voice.job_id);
    if (running != st.job_requests.end()) {
      st.audio_tasks.erase(running->second);
      st.job_requests.erase(running);
    }
    remember_finished(st, voice.job_id);
    out.field("success", true).field("message", "job cancelled");
  } else {
    out.field("success", false)
      .field("message", std::string{"job already "} + to_string(status));
  }
  answer(self, voice, out.end_object().take());
}

void on_voice_stats(session_pointer self, const gateway_voice& voice) {
  auto& st = self->state;
  user_counters none;
  auto user = st.users.find(voice.user_id);
  const auto& counters = user == st.users.end() ? none : user->second;
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
    .field("periodStart", iso_time(st.started_at))
    .field("periodEnd", iso_time(unix_seconds()));
  answer(self, voice, out.end_object().take());
}

void on_admin_metrics(session_pointer self, const gateway_voice& voice) {
  auto& st = self->state;
  size_t active = 0;
  for (const auto& [id, job] : st.jobs)
    if (job.status == voice_job_status::processing
        || job.status == voice_job_status::pending)
      ++active;
  auto uptime = unix_seconds() - st.started_at;
  auto finished = st.voice_completed + st.voice_failed;
  json_writer out;
  out.begin_object()
    .field("activeJobs", static_cast<uint64_t>(st.audio_tasks.size()))
    .field("queuedJobs", static_cast<uint64_t>(active))
    .field("completedToday", st.voice_completed)
    .field("failedToday", st.voice_failed)
    .field("averageProcessingTimeMs",
           finished == 0 ? 0.0 : st.voice_processing_ms / finished)
    .field("cpuUsage",
           uptime > 0 ? 100 * process_cpu_seconds() / uptime : 0.0)
    .field("memoryUsageMb", process_resident_mb())
    .key("modelsLoaded")
    .begin_array();
  for (const auto& model : st.setup.models)
    out.string(model);
  out.end_array()
    .field("uptime", uptime)
    .field("version", st.setup.identity.version);
  answer(self, voice, out.end_object().take());
}

void ask_voice_info(session_pointer self, const gateway_voice& voice,
                    std::string what) {
  if (!self->state.setup.voice_info)
    return refuse(self, voice,
                  make_error(error_code::feature_unavailable,
                             "this server does not report " + what));
  self->request(self->state.setup.voice_info, std::chrono::seconds(4),
                std::move(what))
    .then([self, voice](std::string& result) { answer(self, voice, result); },
          [self, voice](caf::error& err) { refuse(self, voice, err); });
}

void on_voice(session_pointer self, decoded_request& decoded) {
  auto& st = self->state;
  auto& voice = *decoded.voice;
  switch (voice.type) {
    case request_type::voice_translate:
      on_audio(self, *decoded.audio, voice_side{voice, {}});
      return;
    case request_type::voice_translate_async: {
      voice_job job;
      job.job_id = "job-" + plain_task_id(voice) + "-"
                   + std::to_string(st.next_job++);
      job.task_id = voice.task_id;
      job.user_id = voice.user_id;
      job.created_at = job.started_at = voice.received_at;
      auto job_id = job.job_id;
      st.jobs.emplace(job_id, std::move(job));
      json_writer ack;
      ack.begin_object()
        .field("jobId", job_id)
        .field("status", to_string(voice_job_status::pending))
        .end_object();
      answer(self, voice, ack.take());
      on_audio(self, *decoded.audio, voice_side{voice, job_id});
      return;
    }
    case request_type::voice_job_status:
      return on_job_status(self, voice);
    case request_type::voice_job_cancel:
      return on_job_cancel(self, voice);
    case request_type::voice_stats:
      return on_voice_stats(self, voice);
    case request_type::voice_admin_metrics:
      return on_admin_metrics(self, voice);
    case request_type::voice_languages:
      return ask_voice_info(self, voice, "languages");
    case request_type::voice_health:
      return ask_voice_info(self, voice, "health");
    default:
      return refuse(self, voice,
                    make_error(error_code::feature_unavailable,
                               "'" + voice.type_name
                                 + "' is not available on Parley"));
  }
}

// -- intake -------------------------------------------------------------------

void on_frames(session_pointer self,
               const std::vector<std::string_view>& frames) {
  auto& st = self->state;
  ++st.tasks;
  auto decoded = decode_request(frames, st.setup.config, st.setup.identity,
                                unix_seconds());
  if (decoded.voice)
    return on_voice(self, decoded);
  if (decoded.translate)
    return on_translate(self, *decoded.translate);
  if (decoded.audio)
    return on_audio(self, *decoded.audio, std::nullopt);
  if (decoded.type != request_type::ping)
    ++st.refused;
  publish(self, std::move(decoded.reply));
}

metrics session_metrics(const session_state& st) {
  metrics result;
  result.values["gateway_tasks_total"] = st.tasks;
  result.values["gateway_resent_merged_total"] = st.resent_merged;
  result.values["gateway_events_total"] = st.events;
  result.values["gateway_refused_total"] = st.refused;
  result.values["gateway_internal_errors_total"] = st.internal_errors;
  result.values["gateway_tasks_active"]
    = st.by_request.size() + st.audio_tasks.size();
  result.values["gateway_voice_jobs_completed_total"] = st.voice_completed;
  result.values["gateway_voice_jobs_failed_total"] = st.voice_failed;
  return result;
}

} // namespace

caf::actor spawn_gateway_session(caf::actor_system& sys, session_setup setup) {
  auto init = [](caf::stateful_actor<session_state>* self,
                 session_setup setup) -> caf::behavior {
    self->state.setup = std::move(setup);
    auto liveness = self->state.setup.liveness;
    if (liveness)
      self->attach_functor([liveness] {
        liveness->stopped(edge_liveness::gateway_session);
      });
    // Told to stop, it first hands its queued events to the PUB actor: the
    // flush it sent itself would arrive after the exit and never run.
    self->set_exit_handler([self](caf::exit_msg& msg) {
      flush(self);
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
            on_frames(self, frames);
          });
      },
      [self](caf::flush_atom) { flush(self); },
      [self](const zmq_frames& inbound) {
        guarded(self, "inbound message", [&] {
          std::vector<std::string_view> frames(inbound.frames.begin(),
                                               inbound.frames.end());
          on_frames(self, frames);
        });
      },
      [self](translation& result) {
        guarded(self, "translation", [&] { on_translation(self, result); });
      },
      [self](translation_failure& failure) {
        guarded(self, "translation failure",
                [&] { on_failure(self, failure); });
      },
      [self](const translation_done& done) {
        guarded(self, "translation done", [&] { on_done(self, done); });
      },
      [self](const audio_progress& progress) {
        guarded(self, "audio progress", [&] { on_progress(self, progress); });
      },
      [self](audio_transcribed& event) {
        guarded(self, "transcription", [&] { on_transcribed(self, event); });
      },
      [self](audio_translated& event) {
        guarded(self, "spoken translation", [&] { on_spoken(self, event); });
      },
      [self](const audio_done& done) {
        guarded(self, "audio done", [&] { on_audio_done(self, done); });
      },
      [self](stats_atom) { return session_metrics(self->state); },
    };
  };
  // Its own thread: decoding requests and encoding events is most of the
  // edge's work, and it must not share the scheduler's threads with the
  // router, the handlers and the cache.
  return sys.spawn<caf::detached>(init, std::move(setup));
}

} // namespace parley
