#include "tests/support/session_world.hpp"

#include <map>

#include <caf/event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "io/gateway/gateway_session.hpp"
#include "io/gateway/zmq_pub.hpp"

using nlohmann::json;

namespace parley::test {

namespace {

/// The router's double: logs each request and keeps its sink; the events
/// the test sends it go on to the sink of their request, as the handlers
/// of the real router send them.
caf::actor spawn_fake_router(caf::actor_system& sys,
                             std::shared_ptr<ordered_log> requests) {
  struct sinks {
    std::map<uint64_t, translation_sink> text;
    std::map<uint64_t, audio_sink> audio;
  };
  auto held = std::make_shared<sinks>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](translate_request& request, translation_sink& sink) {
          held->text[request.id] = std::move(sink);
          requests->push(std::move(request));
        },
        [=](audio_request& request, audio_sink& sink) {
          held->audio[request.id] = std::move(sink);
          requests->push(std::move(request));
        },
        [=](translation& x) { self->send(held->text.at(x.request_id), x); },
        [=](translation_failure& x) {
          self->send(held->text.at(x.request_id), x);
        },
        [=](translation_done& x) {
          self->send(held->text.at(x.request_id), x);
        },
        [=](audio_progress& x) { self->send(held->audio.at(x.request_id), x); },
        [=](audio_transcribed& x) {
          self->send(held->audio.at(x.request_id), x);
        },
        [=](audio_translated& x) {
          self->send(held->audio.at(x.request_id), x);
        },
        [=](audio_done& x) { self->send(held->audio.at(x.request_id), x); },
    };
  });
}

/// The PUB actor's double: logs each message of each batch, frames and all.
caf::actor spawn_fake_publisher(caf::actor_system& sys,
                                std::shared_ptr<ordered_log> events) {
  return sys.spawn([=](caf::event_based_actor*) -> caf::behavior {
    return {
        [=](zmq_outbound& batch) {
          for (auto& message : batch.messages)
            events->push(zmq_frames{std::move(message)});
        },
    };
  });
}

/// `voice_info`'s double: answers each question with `voice_info_answer`,
/// or never.
caf::actor spawn_fake_voice_info(caf::actor_system& sys, bool answers) {
  using promise = caf::typed_response_promise<std::string>;
  auto held = std::make_shared<std::vector<promise>>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](const std::string&) -> caf::result<std::string> {
          if (answers)
            return std::string{voice_info_answer};
          held->push_back(self->make_response_promise<std::string>());
          return held->back();
        },
    };
  });
}

} // namespace

json event_json(const zmq_frames& event) {
  return json::parse(event.frames.at(0));
}

session_world::session_world(voice_info_double voice_info) {
  router = spawn_fake_router(ds.sys(), requests);
  publisher = spawn_fake_publisher(ds.sys(), events);
  session_setup setup;
  setup.identity = server_identity{"parley test", "node", 1, 2, true};
  setup.router = caf::actor_cast<router_actor>(router);
  setup.publisher = publisher;
  if (voice_info != voice_info_double::none)
    setup.voice_info = spawn_fake_voice_info(
        ds.sys(), voice_info == voice_info_double::answers);
  setup.max_text_chars = 10000;
  setup.models = {"text"};
  session = spawn_gateway_session(ds.sys(), std::move(setup),
                                  session_placement::scheduler);
  ds.run();
}

session_world::~session_world() {
  caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(publisher, caf::exit_reason::user_shutdown);
}

void session_world::send(const json& request, std::vector<std::string> binary) {
  zmq_frames frames{{request.dump()}};
  for (auto& frame : binary)
    frames.frames.push_back(std::move(frame));
  caf::anon_send(session, std::move(frames));
}

translate_request
session_world::expect_text_request(std::vector<std::string> targets) {
  return requests->expect_next<translate_request>(
      "a translate_request for " + json(targets).dump(),
      [&](const translate_request& r) { return r.target_langs == targets; });
}

json session_world::expect_event(const std::string& type) {
  return event_json(expect_frames(type, [](const json&) { return true; }));
}

json session_world::expect_event(const std::string& type,
                                 const std::string& lang) {
  return event_json(expect_frames(
      type, [&](const json& e) { return e["targetLanguage"] == lang; },
      " for " + lang));
}

metrics session_world::stats() {
  return stats_of(ds, session);
}

json text_task(const std::string& task_id, std::vector<std::string> targets,
               const std::string& text) {
  return {{"type", "translation"},
          {"taskId", task_id},
          {"messageId", "m-" + task_id},
          {"conversationId", "c"},
          {"text", text},
          {"sourceLanguage", "en"},
          {"targetLanguages", targets}};
}

translation translated(uint64_t request_id, std::string lang, std::string text,
                       bool from_cache) {
  translation result;
  result.request_id = request_id;
  result.target_lang = std::move(lang);
  result.text = std::move(text);
  result.model = "text";
  result.route = {"en", result.target_lang};
  result.from_cache = from_cache;
  result.source_lang = "en";
  return result;
}

transcription heard(uint64_t request_id) {
  transcription result;
  result.request_id = request_id;
  result.text = "hello world";
  result.language = "en";
  result.confidence = 0.9f;
  result.duration_ms = 1000;
  result.model = "whisper-tiny";
  result.segments = {transcript_segment{"hello world", 0, 1000, 0.9f}};
  return result;
}

audio_translated spoken(uint64_t request_id, std::string lang, uint32_t total,
                        uint32_t remaining) {
  audio_translated result;
  result.request_id = request_id;
  result.target_lang = lang;
  result.text = "hola mundo";
  result.speech = encoded_speech{"speech-" + lang, "audio/wav", 900};
  result.total = total;
  result.remaining = remaining;
  return result;
}

json voice_translate_async(const std::string& task_id) {
  return {{"type", "voice_translate_async"},
          {"taskId", task_id},
          {"userId", "u-1"},
          {"binaryFrames", {{"audio", 1}}},
          {"targetLanguages", {"es"}},
          {"generateVoiceClone", true}};
}

json job_query(const std::string& type, const std::string& task_id,
               const std::string& job_id) {
  return {{"type", type}, {"taskId", task_id}, {"jobId", job_id}};
}

} // namespace parley::test
