#pragma once

// The gateway session on CAF's test coordinator, with test doubles for its
// neighbours: a router that records each request and answers only when the
// test tells it to, as the router's handlers would, and a publisher that
// records each event. Both records are ordered logs that the tests of the
// session's parts (tests/io/gateway/session_text_test.cpp, ...) expect from,
// entry by entry.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "messages/gateway.hpp"
#include "messages/metrics.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "tests/support/deterministic.hpp"

namespace parley::test {

/// What the session's `voice_info` double does.
enum class voice_info_double { none, answers, silent };

/// What the `voice_info` double answers, when it answers.
constexpr const char* voice_info_answer = R"({"languages":["en","es"]})";

/// An event's JSON, frame 0.
nlohmann::json event_json(const zmq_frames& event);

/// A session spawned on the test coordinator between its doubles.
struct session_world {
  explicit session_world(
      voice_info_double voice_info = voice_info_double::none);

  ~session_world();

  /// Queues one inbound message: `request` as frame 0, then `binary`.
  void send(const nlohmann::json& request,
            std::vector<std::string> binary = {});

  /// Tells the router to send `event` to the requester.
  template <class Event> void answer(Event event) {
    caf::anon_send(router, std::move(event));
  }

  /// The next request the router got: a text request for `targets`.
  translate_request expect_text_request(std::vector<std::string> targets);

  /// The next event published: one of `type`, for which `matches` holds;
  /// its frames.
  template <class Predicate>
  zmq_frames expect_frames(const std::string& type, Predicate matches,
                           const std::string& detail = {}) {
    return events->expect_next<zmq_frames>(
        "a " + type + " event" + detail, [&](const zmq_frames& e) {
          auto parsed = event_json(e);
          return parsed["type"] == type && matches(parsed);
        });
  }

  /// The next event published, of `type`; its JSON.
  nlohmann::json expect_event(const std::string& type);

  /// The next event published, of `type` for language `lang`; its JSON.
  nlohmann::json expect_event(const std::string& type, const std::string& lang);

  /// The session's counters, as `/metrics` reads them.
  metrics stats();

  deterministic_system ds;
  std::shared_ptr<ordered_log> requests = std::make_shared<ordered_log>();
  std::shared_ptr<ordered_log> events = std::make_shared<ordered_log>();
  caf::actor router;
  caf::actor publisher;
  caf::actor session;
};

/// A `translation` request from the gateway.
nlohmann::json text_task(const std::string& task_id,
                         std::vector<std::string> targets,
                         const std::string& text = "hello");

/// One language of a text request, translated from English.
translation translated(uint64_t request_id, std::string lang, std::string text,
                       bool from_cache = false);

/// "hello world", heard in English.
transcription heard(uint64_t request_id);

/// One language of an audio request, spoken: its speech is
/// "speech-<lang>".
audio_translated spoken(uint64_t request_id, std::string lang, uint32_t total,
                        uint32_t remaining);

/// A `voice_translate_async` from user "u-1" to Spanish, its audio in
/// frame 1.
nlohmann::json voice_translate_async(const std::string& task_id);

/// `voice_job_status` or `voice_job_cancel` for `job_id`.
nlohmann::json job_query(const std::string& type, const std::string& task_id,
                         const std::string& job_id);

} // namespace parley::test
