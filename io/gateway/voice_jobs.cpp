#include "io/gateway/voice_jobs.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "io/encoding/json_writer.hpp"
#include "io/gateway/gateway_voice_events.hpp"
#include "io/gateway/session_context.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

/// Finished async voice jobs kept for `voice_job_status`.
constexpr size_t max_finished_jobs = 1000;
/// Users whose counters `voice_stats` keeps.
constexpr size_t max_voice_users = 10000;

/// The task id without JSON quotes.
std::string plain_task_id(const gateway_voice& voice) {
  const auto& id = voice.task_id;
  if (id.size() >= 2 && id.front() == '"')
    return nlohmann::json::parse(id).get<std::string>();
  return id;
}

bool is_unfinished(voice_job_status status) {
  return status == voice_job_status::pending
         || status == voice_job_status::processing;
}

caf::error no_such_job(const gateway_voice& voice) {
  return make_error(error_code::invalid_request,
                    "no voice job '" + voice.job_id + "'");
}

} // namespace

const char* to_string(voice_job_status status) {
  switch (status) {
  case voice_job_status::pending:
    return "pending";
  case voice_job_status::processing:
    return "processing";
  case voice_job_status::completed:
    return "completed";
  case voice_job_status::failed:
    return "failed";
  case voice_job_status::cancelled:
    return "cancelled";
  }
  return "unknown";
}

std::string voice_jobs::open(const gateway_voice& voice) {
  voice_job job;
  job.job_id =
      "job-" + plain_task_id(voice) + "-" + std::to_string(next_job_++);
  job.task_id = voice.task_id;
  job.user_id = voice.user_id;
  job.created_at = job.started_at = voice.received_at;
  auto job_id = job.job_id;
  jobs_.emplace(job_id, std::move(job));
  json_writer ack;
  ack.begin_object()
      .field("jobId", job_id)
      .field("status", to_string(voice_job_status::pending))
      .end_object();
  context_.answer(voice, ack.take());
  return job_id;
}

void voice_jobs::attach(const std::string& job_id, uint64_t audio_request) {
  job_requests_[job_id] = audio_request;
}

void voice_jobs::remember_finished(const std::string& job_id) {
  finished_jobs_.push_back(job_id);
  if (finished_jobs_.size() > max_finished_jobs) {
    jobs_.erase(finished_jobs_.front());
    finished_jobs_.erase(finished_jobs_.begin());
  }
}

void voice_jobs::count_user(const voice_side& voice, const transcription& heard,
                            const std::vector<audio_translated>& spoken,
                            double elapsed_ms) {
  if (voice.request.user_id.empty())
    return;
  auto& user = users_[voice.request.user_id];
  if (users_.size() > max_voice_users)
    users_.erase(users_.begin());
  ++user.translations;
  user.audio_ms += heard.duration_ms;
  user.processing_ms += elapsed_ms;
  for (const auto& item : spoken)
    if (std::find(user.languages.begin(), user.languages.end(),
                  item.target_lang)
        == user.languages.end())
      user.languages.push_back(item.target_lang);
}

void voice_jobs::progress(const voice_side& voice, double percent,
                          const std::string& step) {
  auto job = jobs_.find(voice.job_id);
  if (job == jobs_.end() || job->second.status == voice_job_status::cancelled)
    return;
  job->second.status = voice_job_status::processing;
  job->second.progress = percent;
  job->second.current_step = step;
  context_.publish(encode_voice_job_progress(
      voice.request.task_id, voice.job_id, percent, step, unix_seconds()));
}

void voice_jobs::finish(const voice_side& voice, const transcription& heard,
                        const std::vector<audio_translated>& spoken,
                        const caf::error& error) {
  auto now = unix_seconds();
  auto elapsed_ms = (now - voice.request.received_at) * 1000;
  auto translation_id =
      voice.job_id.empty() ? plain_task_id(voice.request) : voice.job_id;
  std::string result;
  if (!error) {
    ++completed_;
    processing_ms_ += elapsed_ms;
    count_user(voice, heard, spoken, elapsed_ms);
    result =
        voice_translation_result(translation_id, heard, spoken, elapsed_ms);
  } else {
    ++failed_;
  }
  if (voice.job_id.empty()) {
    context_.publish(error ? encode_voice_error(voice.request.task_id,
                                                voice.request.type_name, error,
                                                now)
                           : encode_voice_success(voice.request.task_id,
                                                  voice.request.type_name,
                                                  result, elapsed_ms, now));
    return;
  }
  job_requests_.erase(voice.job_id);
  auto job = jobs_.find(voice.job_id);
  if (job == jobs_.end() || job->second.status == voice_job_status::cancelled)
    return;
  job->second.completed_at = now;
  job->second.progress = 100;
  job->second.current_step = "done";
  if (error) {
    job->second.status = voice_job_status::failed;
    job->second.error = error;
    context_.publish(encode_voice_translation_failed(
        voice.job_id, voice.request.user_id, error, now));
  } else {
    job->second.status = voice_job_status::completed;
    job->second.result = result;
    context_.publish(encode_voice_translation_completed(
        voice.job_id, voice.request.user_id, result, now));
  }
  remember_finished(voice.job_id);
}

void voice_jobs::on_status(const gateway_voice& voice) {
  auto job = jobs_.find(voice.job_id);
  if (job == jobs_.end())
    return context_.refuse(voice, no_such_job(voice));
  context_.answer(voice, voice_job_json(job->second));
}

std::optional<uint64_t> voice_jobs::on_cancel(const gateway_voice& voice) {
  auto job = jobs_.find(voice.job_id);
  if (job == jobs_.end()) {
    context_.refuse(voice, no_such_job(voice));
    return std::nullopt;
  }
  std::optional<uint64_t> dropped;
  json_writer out;
  out.begin_object();
  auto& status = job->second.status;
  if (is_unfinished(status)) {
    status = voice_job_status::cancelled;
    job->second.completed_at = unix_seconds();
    // The audio request is dropped: its events are no longer published.
    auto running = job_requests_.find(voice.job_id);
    if (running != job_requests_.end()) {
      dropped = running->second;
      job_requests_.erase(running);
    }
    remember_finished(voice.job_id);
    out.field("success", true).field("message", "job cancelled");
  } else {
    out.field("success", false)
        .field("message", std::string{"job already "} + to_string(status));
  }
  context_.answer(voice, out.end_object().take());
  return dropped;
}

size_t voice_jobs::unfinished() const {
  return static_cast<size_t>(
      std::count_if(jobs_.begin(), jobs_.end(), [](const auto& job) {
        return is_unfinished(job.second.status);
      }));
}

const user_counters* voice_jobs::user(const std::string& user_id) const {
  auto found = users_.find(user_id);
  return found == users_.end() ? nullptr : &found->second;
}

} // namespace parley
