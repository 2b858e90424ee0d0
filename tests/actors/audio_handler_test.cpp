// The audio pipeline through the real actors and codec, with probe speech
// engines for order and failure injection (the real engines are tested in
// tests/models/speech and over ZMQ); its timeouts on CAF's test coordinator,
// between test doubles, with time advanced by hand.

#include <catch2/catch.hpp>

#include <cmath>

#include <caf/scoped_actor.hpp>

#include "io/media/audio_encoder.hpp"
#include "messages/error_code.hpp"
#include "messages/speech.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/probe_backend.hpp"
#include "tests/support/probe_speech.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

struct audio_events {
  std::vector<audio_progress> progress;
  std::vector<audio_transcribed> transcribed;
  std::vector<audio_translated> translated;
  std::optional<audio_done> done;
};

/// Receives the events of one audio request, and of text requests sent
/// from the same client in between (in arrival order).
struct audio_client {
  explicit audio_client(caf::actor_system& sys) : self(sys) {
  }

  void send(const router_actor& router, audio_request request) {
    self->send(router, std::move(request),
               caf::actor_cast<audio_sink>(self.ptr()));
  }

  void send_text(const router_actor& router, translate_request request) {
    self->send(router, std::move(request),
               caf::actor_cast<translation_sink>(self.ptr()));
  }

  /// Receives until the audio request is done; `order` names each event.
  void collect() {
    bool finished = false;
    self->receive_while([&] { return !finished; })(
        [&](audio_progress& e) { events.progress.push_back(e); },
        [&](audio_transcribed& e) {
          order.push_back("transcribed");
          events.transcribed.push_back(std::move(e));
        },
        [&](audio_translated& e) {
          order.push_back("audio:" + e.target_lang);
          events.translated.push_back(std::move(e));
        },
        [&](audio_done& e) {
          order.push_back("audio done");
          events.done = std::move(e);
          finished = true;
        },
        [&](translation& t) { order.push_back("text:" + t.target_lang); },
        [&](translation_failure&) { order.push_back("text failed"); },
        [&](translation_done&) { order.push_back("text done"); },
        caf::after(std::chrono::seconds(30)) >> [&] { finished = true; });
  }

  caf::scoped_actor self;
  audio_events events;
  std::vector<std::string> order;
};

audio_request recording(uint64_t id, std::string audio,
                        std::vector<std::string> targets) {
  audio_request request;
  request.id = id;
  request.audio = std::move(audio);
  request.target_langs = std::move(targets);
  return request;
}

} // namespace

TEST_CASE("a long recording is transcribed one 30 s window per message",
          "[actors]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  audio_client client{fx.system()};
  client.send(fx.rt().router(), recording(1, tone_wav(70), {}));
  client.collect();
  REQUIRE(client.events.done);
  CHECK_FALSE(client.events.done->error);
  CHECK(speech->window_offsets() == std::vector<uint32_t>{0, 30000, 60000});
  CHECK(client.events.progress.size() == 3);
  REQUIRE(client.events.transcribed.size() == 1);
  const auto& heard = client.events.transcribed[0].result;
  CHECK(heard.text == "hello world hello world hello world");
  CHECK(heard.duration_ms == 70000);
  // No language was named: the recognizer's says how it was decided.
  CHECK(heard.detection.method == detection_method::detector);
  CHECK(heard.detection.language == heard.language);
  CHECK_FALSE(heard.language.empty());
  REQUIRE(heard.segments.size() == 3);
  CHECK(heard.segments[2].start_ms == 60000);
}

TEST_CASE("audio_process translates into each target but the spoken "
          "language and speaks each",
          "[actors]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  audio_client client{fx.system()};
  // "ES" is es again: answered once, not left open.
  auto request = recording(1, tone_wav(2), {"es", "fr", "en", "es", "ES"});
  request.output_format = "wav";
  client.send(fx.rt().router(), request);
  client.collect();
  REQUIRE(client.events.done);
  CHECK_FALSE(client.events.done->error);
  CHECK(client.events.done->completed == 2);
  CHECK(client.order.front() == "transcribed");
  REQUIRE(client.events.translated.size() == 2);
  for (const auto& spoken : client.events.translated) {
    CHECK_FALSE(spoken.error);
    CHECK(spoken.text == spoken.target_lang + ":hello world");
    CHECK(spoken.speech.mime_type == "audio/wav");
    CHECK(spoken.speech.bytes.substr(0, 4) == "RIFF");
    CHECK(spoken.speech.duration_ms == 100);
    CHECK(spoken.total == 2);
  }
  CHECK(client.events.translated.back().remaining == 0);
  // The translations went through the text model, in the background lane.
  auto jobs = text->jobs();
  CHECK(jobs.size() == 2);
  CHECK(speech->spoken == 2);
}

TEST_CASE("a text request completes while an audio job holds the recognizer",
          "[actors]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  speech->close_gate();
  audio_client client{fx.system()};
  client.send(fx.rt().router(), recording(1, tone_wav(3), {"es"}));
  REQUIRE(speech->await_at_gate(1));
  client.send_text(fx.rt().router(), make_request(2, "chat message", {"es"}));
  // The text answer arrives while the audio job is still held.
  bool text_done = false;
  client.self->receive_while([&] { return !text_done; })(
      [&](translation& t) { client.order.push_back("text:" + t.target_lang); },
      [&](translation_done&) {
        client.order.push_back("text done");
        text_done = true;
      },
      caf::after(std::chrono::seconds(30)) >> [&] { text_done = true; });
  CHECK(speech->waiting_at_gate == 1);
  speech->open_gate();
  client.collect();
  REQUIRE(client.order.size() >= 4);
  CHECK(client.order[0] == "text:es");
  CHECK(client.order[1] == "text done");
  CHECK(client.order.back() == "audio done");
}

TEST_CASE("audio that cannot be used gets a typed error", "[actors]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  auto error_of = [&](audio_request request) {
    audio_client client{fx.system()};
    client.send(fx.rt().router(), std::move(request));
    client.collect();
    REQUIRE(client.events.done);
    return code_of(client.events.done->error);
  };
  CHECK(error_of(recording(1, "", {"es"})) == error_code::missing_audio);
  CHECK(error_of(recording(2, std::string(5000, '\x42'), {"es"}))
        == error_code::audio_decode_failed);
  speech->text = "";
  CHECK(error_of(recording(3, tone_wav(1), {"es"}))
        == error_code::transcription_failed);
  speech->text = "hello world";
  speech->refused = {"es", "fr"};
  CHECK(error_of(recording(4, tone_wav(1), {"es", "fr"}))
        == error_code::translation_failed);
}

TEST_CASE("a failing language spares the others and a phone transcription "
          "skips recognition",
          "[actors]") {
  auto [text_name, text] = make_probe();
  auto [speech_name, speech] = make_speech_probe();
  speech->refused = {"de"};
  runtime_fixture fx{probe_audio_config(text_name, speech_name), 2, true};
  audio_client client{fx.system()};
  auto request = recording(1, "", {"es", "de"});
  request.mobile_text = "from the phone";
  request.mobile_language = "en";
  client.send(fx.rt().router(), request);
  client.collect();
  REQUIRE(client.events.done);
  CHECK_FALSE(client.events.done->error);
  CHECK(client.events.done->completed == 1);
  CHECK(client.events.done->failed == 1);
  CHECK(speech->window_offsets().empty());
  REQUIRE(client.events.transcribed.size() == 1);
  CHECK(client.events.transcribed[0].result.text == "from the phone");
  CHECK(client.events.transcribed[0].result.detection.method
        == detection_method::hint);
  for (const auto& spoken : client.events.translated)
    if (spoken.target_lang == "de")
      CHECK(code_of(spoken.error) == error_code::unsupported_language);
    else
      CHECK(spoken.text == "es:from the phone");
}

namespace {

/// The router world with the audio pipeline's doubles: a codec that decodes
/// every recording as three seconds (one window), and a recognizer and a
/// synthesizer that hold each job; their jobs go to `speech_jobs`.
struct audio_world : router_world {
  audio_world(caf::timespan request_timeout, caf::timespan audio_timeout) {
    recognizer = spawn_held_pool(ds.sys(), speech_jobs);
    synthesizer = spawn_held_pool(ds.sys(), speech_jobs);
    codec = spawn_codec_double(ds.sys(), 3000);
    router_setup setup{};
    setup.request_timeout = request_timeout;
    setup.audio_timeout = audio_timeout;
    setup.codec = caf::actor_cast<codec_actor>(codec);
    setup.transcriber = caf::actor_cast<pool_actor>(recognizer);
    setup.synthesizer = caf::actor_cast<pool_actor>(synthesizer);
    start(setup);
  }

  ~audio_world() {
    for (const auto& actor : {recognizer, synthesizer, codec})
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  }

  /// Sends an audio request into Spanish; the recognizer holds its window.
  void send_held_recording(uint64_t id) {
    send(recording(id, "a recording", {"es"}));
    ds.run();
    speech_jobs->expect_next<audio_window>(
        "the recording's one window",
        [](const audio_window& window) { return window.offset_ms == 0; });
    speech_jobs->expect_nothing_more();
  }

  std::shared_ptr<ordered_log> speech_jobs = std::make_shared<ordered_log>();
  caf::actor recognizer;
  caf::actor synthesizer;
  caf::actor codec;
};

} // namespace

TEST_CASE("text and audio requests time out each on their own clock",
          "[actors]") {
  SECTION("a held text request expires while an older audio job runs on") {
    audio_world world{200ms, 1h};
    world.send_held_recording(1);
    world.send(make_request(2, "chat message", {"es"}));
    world.ds.run();
    expect_job(*world.jobs, "es", "chat message");
    expect_timeout_after(world, 200ms, 2, "es");
    // The audio job is still held, and finishes once released.
    world.answer();
    caf::anon_send(world.recognizer, answer_atom::value);
    world.ds.run();
    world.events->expect_next<audio_progress>();
    CHECK(world.events->expect_next<audio_transcribed>().result.text
          == heard_text);
    auto job = expect_job(*world.jobs, "es", heard_text);
    world.answer();
    world.ds.run();
    world.speech_jobs->expect_next<synthesize_request>(
        "the Spanish text to speak", [&](const synthesize_request& x) {
          return x.language == "es" && x.text == translated_text(job);
        });
    caf::anon_send(world.synthesizer, answer_atom::value);
    world.ds.run();
    world.events->expect_next<audio_translated>(
        "Spanish speech", [&](const audio_translated& x) {
          return x.target_lang == "es" && !x.error
                 && x.text == translated_text(job)
                 && x.speech.bytes == "speech-es";
        });
    world.events->expect_next<audio_done>(
        "the audio request done without error", [](const audio_done& x) {
          return x.request_id == 1 && !x.error && x.completed == 1;
        });
    expect_nothing_before_ping(world);
  }
  SECTION("a held audio job expires with TIMEOUT") {
    audio_world world{1h, 200ms};
    world.send_held_recording(1);
    world.ds.advance(199ms);
    expect_nothing_before_ping(world);
    world.ds.advance(router_deadline_check);
    world.events->expect_next<audio_done>(
        "the audio request done with TIMEOUT", [](const audio_done& x) {
          return x.request_id == 1 && code_of(x.error) == error_code::timeout;
        });
    expect_nothing_before_ping(world);
    // The window the recognizer answers late reaches nobody.
    caf::anon_send(world.recognizer, answer_atom::value);
    world.ds.run();
    expect_nothing_before_ping(world);
    world.jobs->expect_nothing_more();
  }
}
