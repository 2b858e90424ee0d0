#include "io/zmq_publisher.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/request_validation.hpp"
#include "io/gateway_audio_events.hpp"
#include "messages/error_code.hpp"
#include "messages/gateway.hpp"
#include "messages/metrics.hpp"
#include "messages/speech.hpp"

namespace parley {

namespace {

constexpr const char* story_type = "story_text_object_translation";

/// One router request made for a gateway task.
struct task_entry {
  gateway_translate request;
  /// Languages asked and not answered yet, as the gateway spelled them.
  std::vector<std::string> pending;
  /// Story objects answer once, with every language that succeeded.
  std::vector<std::pair<std::string, std::string>> story;
  /// A story's last translation: its source language and detection.
  translation source;
};

/// One audio request made for a gateway job.
struct audio_task {
  gateway_audio request;
  transcription heard;
  std::vector<audio_translated> spoken;
};

struct publisher_state {
  std::shared_ptr<zmq::socket_t> socket;
  router_actor router;
  server_identity identity;
  size_t max_text_chars = 0;
  std::unordered_map<uint64_t, task_entry> by_request;
  std::unordered_map<uint64_t, audio_task> audio_tasks;
  /// Task id to its audio request in flight: the gateway re-sends a task
  /// after 30 s without an answer, and long recordings take longer.
  std::unordered_map<std::string, uint64_t> audio_by_task;
  /// Task id to the router requests still in flight for it.
  std::unordered_map<std::string, std::vector<uint64_t>> by_task;
  uint64_t next_request_id = 1;
  uint64_t tasks = 0;
  uint64_t resent_merged = 0;
  uint64_t events = 0;

  static inline const char* name = "zmq_publisher";
};

using publisher_pointer = publisher_actor::stateful_pointer<publisher_state>;

void send_frames(zmq::socket_t& socket, const std::vector<std::string>& frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    auto flags = i + 1 < frames.size() ? zmq::send_flags::sndmore
                                       : zmq::send_flags::none;
    socket.send(zmq::buffer(frames[i]), flags | zmq::send_flags::dontwait);
  }
}

void publish(publisher_pointer self, const std::vector<std::string>& frames) {
  ++self->state.events;
  try {
    send_frames(*self->state.socket, frames);
  } catch (const zmq::error_t& e) {
    spdlog::warn("zmq publisher: send failed: {}", e.what());
  }
}

void publish(publisher_pointer self, std::string event) {
  publish(self, std::vector<std::string>{std::move(event)});
}

bool take(std::vector<std::string>& xs, const std::string& x) {
  auto i = std::find(xs.begin(), xs.end(), x);
  if (i == xs.end())
    return false;
  xs.erase(i);
  return true;
}

/// The languages of `request` that no in-flight request of its task covers.
std::vector<std::string> uncovered(publisher_state& st,
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

void on_request(publisher_pointer self, gateway_translate& request) {
  auto& st = self->state;
  ++st.tasks;
  if (request.type != story_type) {
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
  st.by_request.emplace(id, task_entry{std::move(request),
                                       work.target_langs, {}, {}});
  self->send(st.router, std::move(work),
             caf::actor_cast<translation_sink>(self));
}

void on_translation(publisher_pointer self, translation& result) {
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
                                             st.identity, unix_seconds()));
}

void on_failure(publisher_pointer self, translation_failure& failure) {
  auto& st = self->state;
  auto entry = st.by_request.find(failure.request_id);
  if (entry == st.by_request.end())
    return;
  auto& task = entry->second;
  std::vector<std::string> failed;
  if (failure.target_lang.empty())
    failed.swap(task.pending); // the request was refused as a whole
  else if (take(task.pending, failure.target_lang))
    failed.push_back(failure.target_lang);
  if (failed.empty() || task.request.type == story_type)
    return;
  auto now = unix_seconds();
  if (code_of(failure.reason) == error_code::message_too_long) {
    publish(self, encode_translation_skipped(task.request,
                                             utf8_length(task.request.text),
                                             st.max_text_chars, now));
    return;
  }
  for (const auto& lang : failed)
    publish(self,
            encode_translation_error(task.request, lang, failure.reason, now));
}

void on_done(publisher_pointer self, const translation_done& done) {
  auto& st = self->state;
  auto entry = st.by_request.find(done.request_id);
  if (entry == st.by_request.end())
    return;
  auto& task = entry->second;
  if (task.request.type == story_type)
    publish(self, encode_story_completed(task.request, task.story,
                                         unix_seconds(), task.source));
  auto siblings = st.by_task.find(task.request.task_key);
  if (siblings != st.by_task.end()) {
    auto& ids = siblings->second;
    ids.erase(std::remove(ids.begin(), ids.end(), done.request_id), ids.end());
    if (ids.empty())
      st.by_task.erase(siblings);
  }
  st.by_request.erase(entry);
}

void on_audio_request(publisher_pointer self, gateway_audio& request) {
  auto& st = self->state;
  ++st.tasks;
  // A re-sent task still in flight is answered once, by the first request.
  if (st.audio_by_task.count(request.task_key) > 0) {
    ++st.resent_merged;
    return;
  }
  audio_request work;
  work.id = st.next_request_id++;
  work.audio = std::move(request.audio);
  work.language = request.language;
  work.target_langs = request.target_langs;
  work.model_type = request.model_type;
  work.output_format = request.output_format;
  work.mobile_text = request.mobile_text;
  work.mobile_language = request.mobile_language;
  auto id = work.id;
  st.audio_by_task.emplace(request.task_key, id);
  st.audio_tasks.emplace(id, audio_task{std::move(request), {}, {}});
  self->send(st.router, std::move(work), caf::actor_cast<audio_sink>(self));
}

void on_transcribed(publisher_pointer self, audio_transcribed& event) {
  auto& st = self->state;
  auto task = st.audio_tasks.find(event.request_id);
  if (task == st.audio_tasks.end())
    return;
  auto& [request, heard, spoken] = task->second;
  heard = std::move(event.result);
  publish(self, request.type == "transcription_only"
                  ? encode_transcription_completed(request, heard,
                                                   unix_seconds())
                  : encode_transcription_ready(request, heard, unix_seconds()));
}

void on_spoken(publisher_pointer self, audio_translated& event) {
  auto& st = self->state;
  auto task = st.audio_tasks.find(event.request_id);
  if (task == st.audio_tasks.end())
    return;
  if (event.error) {
    // A failed language has no event of its own; audio_process_completed
    // lists the languages that worked, audio_process_error comes when none
    // did.
    spdlog::warn("audio task {}: {} failed: {}", event.request_id,
                 event.target_lang, explanation_of(event.error));
    return;
  }
  publish(self, encode_audio_translation(task->second.request, event,
                                         unix_seconds()));
  task->second.spoken.push_back(std::move(event));
}

void on_audio_done(publisher_pointer self, const audio_done& done) {
  auto& st = self->state;
  auto task = st.audio_tasks.find(done.request_id);
  if (task == st.audio_tasks.end())
    return;
  const auto& [request, heard, spoken] = task->second;
  if (done.error)
    publish(self, encode_audio_error(request, done.error, unix_seconds()));
  else if (request.type == "audio_process")
    publish(self,
            encode_audio_completed(request, heard, spoken, unix_seconds()));
  st.audio_by_task.erase(request.task_key);
  st.audio_tasks.erase(task);
}

} // namespace

publisher_actor spawn_publisher(caf::actor_system& sys,
                                std::shared_ptr<zmq::socket_t> socket,
                                router_actor router, server_identity identity,
                                size_t max_text_chars) {
  auto init = [=](publisher_pointer self) -> publisher_actor::behavior_type {
    auto& st = self->state;
    st.socket = socket;
    st.router = router;
    st.identity = identity;
    st.max_text_chars = max_text_chars;
    // The socket belongs to this thread; close it here, before the context
    // is terminated elsewhere.
    self->attach_functor([socket] { socket->close(); });
    return {
      [self](gateway_translate& request) { on_request(self, request); },
      [self](gateway_audio& request) { on_audio_request(self, request); },
      [](const audio_progress&) {},
      [self](audio_transcribed& event) { on_transcribed(self, event); },
      [self](audio_translated& event) { on_spoken(self, event); },
      [self](const audio_done& done) { on_audio_done(self, done); },
      [self](publish_atom, const zmq_frames& reply) {
        publish(self, reply.frames);
      },
      [self](translation& result) { on_translation(self, result); },
      [self](translation_failure& failure) { on_failure(self, failure); },
      [self](const translation_done& done) { on_done(self, done); },
      [self](stats_atom) {
        auto& st = self->state;
        metrics result;
        result.values["gateway_tasks_total"] = st.tasks;
        result.values["gateway_resent_merged_total"] = st.resent_merged;
        result.values["gateway_events_total"] = st.events;
        result.values["gateway_tasks_active"]
          = st.by_request.size() + st.audio_tasks.size();
        return result;
      },
    };
  };
  return sys.spawn<caf::detached>(std::move(init));
}

} // namespace parley
