// One translation handler on CAF's test coordinator, between test doubles: a
// cache that logs what it is told and answers lookups as the test says, a
// pool that holds each job until the test answers it, a client and a router
// that log what they hear. Each step is run by hand and every log checked in
// order; deadlines come from the router, with time advanced by hand.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actors/telemetry.hpp"
#include "actors/translation_handler.hpp"
#include "messages/cache_types.hpp"
#include "messages/error_code.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/runtime_fixture.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

/// The cache's double: logs each lookup (its `cache_query`), store (its
/// `cache_fill`) and abandon (the key and the reason, one entry). The test
/// answers lookups: a `cache_answer` or a `fill` sent to it goes on to the
/// last handler that asked. A router's direct lookup misses, as an empty
/// cache's would, so that the router starts a handler.
caf::actor spawn_cache_double(caf::actor_system& sys,
                              std::shared_ptr<ordered_log> log) {
  auto asker = std::make_shared<caf::actor>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](lookup_atom, cache_query& query) {
          *asker = caf::actor_cast<caf::actor>(self->current_sender());
          log->push(std::move(query));
        },
        [=](lookup_atom, direct_lookup&) { return false; },
        [=](store_atom, cache_fill& fill) { log->push(std::move(fill)); },
        [=](abandon_atom, cache_key& key, caf::error& reason) {
          log->push(std::move(key), std::move(reason));
        },
        [=](cache_answer& answer) { self->send(*asker, std::move(answer)); },
        [=](fill_atom, std::string& target, cached_text& value) {
          self->send(*asker, fill_atom::value, std::move(target),
                     std::move(value));
        },
        [=](fill_atom, std::string& target, caf::error& reason) {
          self->send(*asker, fill_atom::value, std::move(target),
                     std::move(reason));
        },
    };
  });
}

/// The router's double: logs each `done` as (done, handler id, all ok).
caf::actor spawn_router_double(caf::actor_system& sys,
                               std::shared_ptr<ordered_log> log) {
  return sys.spawn([=](caf::event_based_actor*) -> caf::behavior {
    return {
        [=](done_atom, uint64_t handler_id, bool all_ok) {
          log->push(done_atom::value, handler_id, all_ok);
        },
    };
  });
}

/// The conversation memory's double, for failure injection: logs each
/// recall (its keys) and remember (the keys and the language); answers a
/// recall with `history`, or never when `silent`.
caf::actor spawn_memory_double(caf::actor_system& sys,
                               std::shared_ptr<ordered_log> log,
                               language_history history, bool silent) {
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](recall_atom, conversation_keys& keys) {
          log->push(recall_atom::value, std::move(keys));
          auto promise = self->make_response_promise();
          if (!silent)
            promise.deliver(history);
        },
        [=](remember_atom, conversation_keys& keys, std::string& language) {
          log->push(remember_atom::value, std::move(keys), std::move(language));
        },
    };
  });
}

constexpr uint64_t handler_id = 42;

cache_slot slot(std::string target, slot_state state, cached_text value = {}) {
  return cache_slot{std::move(target), state, std::move(value)};
}

/// One handler between its doubles; `start` spawns it.
struct handler_world {
  handler_world() {
    cache = spawn_cache_double(ds.sys(), cache_log);
    pool = spawn_held_pool(ds.sys(), jobs);
    client = spawn_client(ds.sys(), router_actor{}, events);
    router = spawn_router_double(ds.sys(), router_log);
  }

  ~handler_world() {
    for (const auto& actor : {cache, pool, client, router})
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  }

  void start(translate_request request, detect_function detect = {},
             caf::actor memory = {}, telemetry_actor telemetry = {}) {
    handler_context ctx{handler_id,
                        std::move(request),
                        caf::actor_cast<translation_sink>(client),
                        "m",
                        caf::actor_cast<cache_actor>(cache),
                        caf::actor_cast<pool_actor>(pool),
                        caf::actor_cast<router_actor>(router),
                        std::move(detect),
                        caf::actor_cast<conversation_memory_actor>(memory),
                        std::move(telemetry)};
    handler = spawn_translation_handler(ds.sys(), std::move(ctx));
    ds.run();
  }

  /// The next lookup: `text` from `source` into `targets`, for model "m".
  void expect_lookup(const std::string& source, const std::string& text,
                     std::vector<std::string> targets) {
    cache_log->expect_next<cache_query>(
        "a lookup of \"" + text + "\" from " + source,
        [&](const cache_query& q) {
          return q.model == "m" && q.source_lang == source && q.text == text
                 && q.target_langs == targets;
        });
  }

  /// The next abandon: `target` of `text`, for `code`.
  void expect_abandon(const std::string& target, const std::string& text,
                      error_code code) {
    cache_log->expect_tuple<cache_key, caf::error>(
        "an abandon of " + target + " for " + to_string(code),
        [&](const cache_key& key, const caf::error& reason) {
          return key.model == "m" && key.target_lang == target
                 && key.text == text && code_of(reason) == code;
        });
  }

  /// The router heard `done` from this handler, with `all_ok`.
  void expect_router_done(bool all_ok) {
    router_log->expect_tuple<caf::atom_value, uint64_t, bool>(
        std::string{"done, "} + (all_ok ? "all ok" : "not all ok"),
        [&](caf::atom_value what, uint64_t id, bool ok) {
          return what == done_atom::value && id == handler_id && ok == all_ok;
        });
  }

  /// The client heard the end of request 7 with these counts, the router
  /// heard `done`, and nothing more came to anyone.
  void expect_finished(uint32_t completed, uint32_t failed) {
    expect_done(*events, 7, completed, failed);
    expect_router_done(failed == 0);
    expect_nothing_more();
  }

  /// Nothing more reached the client (a ping sentinel shows it), the cache,
  /// the pool or the router.
  void expect_nothing_more() {
    expect_nothing_before_ping(*this);
    cache_log->expect_nothing_more();
    jobs->expect_nothing_more();
    router_log->expect_nothing_more();
  }

  deterministic_system ds;
  std::shared_ptr<ordered_log> cache_log = std::make_shared<ordered_log>();
  std::shared_ptr<ordered_log> jobs = std::make_shared<ordered_log>();
  std::shared_ptr<ordered_log> events = std::make_shared<ordered_log>();
  std::shared_ptr<ordered_log> router_log = std::make_shared<ordered_log>();
  caf::actor cache;
  caf::actor pool;
  caf::actor client;
  caf::actor router;
  translation_handler_actor handler;
};

} // namespace

TEST_CASE("a translation handler answers each language as it is ready: the "
          "source at once, a hit, a job it leads, a fill it waits for",
          "[actors][handler]") {
  handler_world world;
  world.start(make_request(7, "good morning", {"es", "fr", "en", "de"}));
  // The source language needs no cache; the cache is asked once for the
  // rest, with the language it was asked in.
  auto source = expect_translation(*world.events, 7, "en");
  CHECK(source.text == "good morning");
  CHECK_FALSE(source.from_cache);
  world.expect_lookup("en", "good morning", {"es", "fr", "de"});
  world.expect_nothing_more();
  caf::anon_send(world.cache,
                 cache_answer{{slot("es", slot_state::hit,
                                    cached_text{"buenos días", {"en", "es"}}),
                               slot("fr", slot_state::lead),
                               slot("de", slot_state::wait)}});
  world.ds.run();
  auto hit = expect_translation(*world.events, 7, "es");
  CHECK(hit.text == "buenos días");
  CHECK(hit.from_cache);
  auto job = expect_job(*world.jobs, "fr", "good morning");
  CHECK(job.source_lang == "en");
  world.expect_nothing_more();
  // The job it leads: the result is stored for others, then answered.
  caf::anon_send(world.pool, answer_atom::value);
  world.ds.run();
  world.cache_log->expect_next<cache_fill>(
      "the French result stored", [&](const cache_fill& fill) {
        return fill.key.target_lang == "fr" && fill.key.source_lang == "en"
               && fill.key.text == "good morning"
               && fill.value.text == translated_text(job);
      });
  auto computed = expect_translation(*world.events, 7, "fr");
  CHECK(computed.text == translated_text(job));
  CHECK_FALSE(computed.from_cache);
  world.expect_nothing_more();
  // The language another request computes arrives as a fill; it was the
  // last one open.
  caf::anon_send(world.cache, fill_atom::value, std::string{"de"},
                 cached_text{"guten Morgen", {"en", "de"}});
  world.ds.run();
  auto filled = expect_translation(*world.events, 7, "de");
  CHECK(filled.text == "guten Morgen");
  CHECK(filled.from_cache);
  world.expect_finished(4, 0);
}

TEST_CASE("a failed job is abandoned in the cache and fails its language "
          "only",
          "[actors][handler]") {
  handler_world world;
  world.start(make_request(7, "hello", {"es", "fr"}));
  world.expect_lookup("en", "hello", {"es", "fr"});
  caf::anon_send(world.cache, cache_answer{{slot("es", slot_state::lead),
                                            slot("fr", slot_state::lead)}});
  world.ds.run();
  expect_job(*world.jobs, "es", "hello");
  auto fr = expect_job(*world.jobs, "fr", "hello");
  caf::anon_send(world.pool, answer_atom::value,
                 make_error(error_code::translation_failed, "held pool"));
  world.ds.run();
  world.expect_abandon("es", "hello", error_code::translation_failed);
  expect_failure(*world.events, 7, "es", error_code::translation_failed);
  world.expect_nothing_more();
  caf::anon_send(world.pool, answer_atom::value);
  world.ds.run();
  world.cache_log->expect_next<cache_fill>();
  CHECK(expect_translation(*world.events, 7, "fr").text == translated_text(fr));
  world.expect_finished(1, 1);
}

TEST_CASE("a waited-for language that fails elsewhere fails here too",
          "[actors][handler]") {
  handler_world world;
  world.start(make_request(7, "hello", {"es"}));
  world.expect_lookup("en", "hello", {"es"});
  caf::anon_send(world.cache, cache_answer{{slot("es", slot_state::wait)}});
  world.ds.run();
  world.expect_nothing_more();
  caf::anon_send(world.cache, fill_atom::value, std::string{"es"},
                 make_error(error_code::internal_error, "leader ended"));
  world.ds.run();
  expect_failure(*world.events, 7, "es", error_code::internal_error);
  world.expect_finished(0, 1);
}

TEST_CASE("expire answers every open language with TIMEOUT and abandons "
          "those it leads",
          "[actors][handler]") {
  handler_world world;
  world.start(make_request(7, "hello", {"es", "fr", "de"}));
  world.expect_lookup("en", "hello", {"es", "fr", "de"});
  caf::anon_send(
      world.cache,
      cache_answer{{slot("es", slot_state::lead), slot("fr", slot_state::wait),
                    slot("de", slot_state::hit, {"hallo", {}})}});
  world.ds.run();
  expect_translation(*world.events, 7, "de");
  expect_job(*world.jobs, "es", "hello");
  world.expect_nothing_more();
  caf::anon_send(world.handler, expire_atom::value);
  world.ds.run();
  world.expect_abandon("es", "hello", error_code::timeout);
  expect_failure(*world.events, 7, "es", error_code::timeout);
  expect_failure(*world.events, 7, "fr", error_code::timeout);
  world.expect_finished(1, 2);
  // The job answered after the handler is gone changes nothing.
  caf::anon_send(world.pool, answer_atom::value);
  world.ds.run();
  world.expect_nothing_more();
}

TEST_CASE("an auto source is detected before the cache is asked, and a "
          "refusal names the detected language",
          "[actors][handler]") {
  handler_world world;
  auto detect = [](const std::string&, const detection_context&) {
    language_detection detected;
    detected.language = "fr";
    detected.method = detection_method::detector;
    return detected;
  };
  world.start(make_request(7, "bonjour", {"es"}, "auto"), detect);
  world.expect_lookup("fr", "bonjour", {"es"});
  caf::anon_send(world.cache, cache_answer{{slot("es", slot_state::lead)}});
  world.ds.run();
  CHECK(expect_job(*world.jobs, "es", "bonjour").source_lang == "fr");
  caf::anon_send(world.pool, answer_atom::value,
                 make_error(error_code::unsupported_language, "no fr>es"));
  world.ds.run();
  world.expect_abandon("es", "bonjour", error_code::unsupported_language);
  auto failure =
      expect_failure(*world.events, 7, "es", error_code::unsupported_language);
  CHECK_THAT(explanation_of(failure.reason),
             Catch::Contains("detected source language 'fr'"));
  world.expect_finished(0, 1);
}

TEST_CASE("an auto source without detection fails every language and asks "
          "nobody",
          "[actors][handler]") {
  handler_world world;
  world.start(make_request(7, "hello", {"es", "fr"}, "auto"));
  expect_failure(*world.events, 7, "es", error_code::unsupported_language);
  expect_failure(*world.events, 7, "fr", error_code::unsupported_language);
  world.expect_finished(0, 2);
}

TEST_CASE("a handler past the router's request timeout answers TIMEOUT, not "
          "before",
          "[actors][handler]") {
  router_world world;
  auto cache_log = std::make_shared<ordered_log>();
  auto cache = spawn_cache_double(world.ds.sys(), cache_log);
  router_setup setup{};
  setup.request_timeout = 2s;
  setup.cache = caf::actor_cast<cache_actor>(cache);
  world.start(setup);
  world.send(make_request(7, "hello", {"es"}));
  world.ds.run();
  cache_log->expect_next<cache_query>();
  caf::anon_send(cache, cache_answer{{slot("es", slot_state::lead)}});
  world.ds.run();
  expect_job(*world.jobs, "es", "hello");
  expect_timeout_after(world, 2s, 7, "es");
  // The cache heard nothing but the abandon of what the handler led.
  cache_log->expect_tuple<cache_key, caf::error>(
      "an abandon for TIMEOUT", [](const cache_key& key, const caf::error& e) {
        return key.target_lang == "es" && code_of(e) == error_code::timeout;
      });
  cache_log->expect_nothing_more();
  caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
}

namespace {

/// A detection double that decides "fr" by its words when the history it
/// gets is French, and "en" otherwise; it keeps the last history it saw.
detect_function history_reader(std::shared_ptr<language_history> seen) {
  return [seen](const std::string&, const detection_context& context) {
    *seen = context.history;
    language_detection detected;
    detected.language = context.history.conversation.empty() ? "en" : "fr";
    detected.method = detection_method::words;
    return detected;
  };
}

/// A handler with a conversation memory's double, whose history `seen`
/// records what detection got.
struct memory_world : handler_world {
  ~memory_world() {
    caf::anon_send_exit(memory, caf::exit_reason::user_shutdown);
  }

  /// Starts `request`, in conversation c1 from u1 unless `anonymous`, with
  /// a memory answering `history`, or never when `silent`.
  void start_with_memory(translate_request request, language_history history,
                         bool silent, bool anonymous = false) {
    memory = spawn_memory_double(ds.sys(), memory_log, history, silent);
    if (!anonymous)
      request.conversation = {"c1", "u1"};
    start(std::move(request), history_reader(seen), memory);
  }

  void expect_recall() {
    memory_log->expect_tuple<caf::atom_value, conversation_keys>(
        "a recall of c1 and u1",
        [](caf::atom_value what, const conversation_keys& keys) {
          return what == recall_atom::value && keys.conversation == "c1"
                 && keys.sender == "u1";
        });
  }

  std::shared_ptr<ordered_log> memory_log = std::make_shared<ordered_log>();
  std::shared_ptr<language_history> seen = std::make_shared<language_history>();
  caf::actor memory;
};

} // namespace

TEST_CASE("an auto source in a conversation is detected with its recent "
          "languages, and what the text decided is remembered",
          "[actors][handler]") {
  memory_world world;
  world.start_with_memory(make_request(7, "ok merci", {"es"}, "auto"),
                          {{"fr", "fr", "fr"}, {}}, false);
  world.expect_recall();
  CHECK(world.seen->conversation == std::vector<std::string>{"fr", "fr", "fr"});
  world.memory_log
      ->expect_tuple<caf::atom_value, conversation_keys, std::string>(
          "fr remembered",
          [](caf::atom_value what, const conversation_keys& keys,
             const std::string& language) {
            return what == remember_atom::value && keys.conversation == "c1"
                   && language == "fr";
          });
  world.expect_lookup("fr", "ok merci", {"es"});
  world.memory_log->expect_nothing_more();
}

TEST_CASE("a silent conversation memory costs its timeout, then detection "
          "goes on without it",
          "[actors][handler]") {
  memory_world world;
  world.start_with_memory(make_request(7, "hello", {"es"}, "auto"), {},
                          /*silent=*/true);
  world.expect_recall();
  world.cache_log->expect_nothing_more();
  world.ds.advance(memory_timeout);
  CHECK(world.seen->conversation.empty());
  world.expect_lookup("en", "hello", {"es"});
}

TEST_CASE("a request expired while waiting for the conversation memory "
          "answers every language with TIMEOUT",
          "[actors][handler]") {
  memory_world world;
  world.start_with_memory(make_request(7, "hello", {"es", "fr", "ES"}, "auto"),
                          {}, /*silent=*/true);
  world.expect_recall();
  caf::anon_send(world.handler, expire_atom::value);
  world.ds.run();
  expect_failure(*world.events, 7, "es", error_code::timeout);
  expect_failure(*world.events, 7, "fr", error_code::timeout);
  world.expect_finished(0, 2);
  world.memory_log->expect_nothing_more();
}

TEST_CASE("a request without a conversation does not ask the memory",
          "[actors][handler]") {
  memory_world world;
  world.start_with_memory(make_request(7, "hello", {"es"}, "auto"),
                          {{"fr"}, {}}, false, /*anonymous=*/true);
  world.expect_lookup("en", "hello", {"es"});
  world.memory_log->expect_nothing_more();
}

TEST_CASE("a handler reports each language's latency from its start, cache "
          "hits and failures included, once the request is done",
          "[actors][handler][telemetry]") {
  handler_world world;
  auto telemetry = spawn_telemetry(world.ds.sys());
  world.start(make_request(7, "hello", {"es", "fr", "de"}), {}, {}, telemetry);
  world.expect_lookup("en", "hello", {"es", "fr", "de"});
  world.ds.advance(2ms);
  caf::anon_send(world.cache, cache_answer{{slot("es", slot_state::hit,
                                                 cached_text{"hola", {}}),
                                            slot("fr", slot_state::lead),
                                            slot("de", slot_state::lead)}});
  world.ds.run();
  world.ds.advance(30ms);
  caf::anon_send(world.pool, answer_atom::value);
  world.ds.run();
  caf::anon_send(world.pool, answer_atom::value,
                 make_error(error_code::overloaded, "held pool"));
  world.ds.run();
  telemetry_snapshot seen;
  world.ds.sys().spawn([&](caf::event_based_actor* self) {
    self->request(telemetry, caf::infinite, dashboard_atom::value)
        .then([&](telemetry_snapshot& x) { seen = std::move(x); });
  });
  world.ds.run();
  REQUIRE(seen.pairs.size() == 2);
  const auto& es =
      seen.pairs[0].pair == "en-es" ? seen.pairs[0] : seen.pairs[1];
  const auto& fr =
      seen.pairs[0].pair == "en-fr" ? seen.pairs[0] : seen.pairs[1];
  REQUIRE(es.pair == "en-es");
  REQUIRE(fr.pair == "en-fr");
  CHECK(es.latency_seconds.sum == Approx(0.002));
  CHECK(fr.latency_seconds.sum == Approx(0.032));
  CHECK(fr.characters == 5);
  CHECK(seen.errors == std::map<std::string, uint64_t>{{"OVERLOADED", 1}});
  CHECK(seen.latency_seconds.count == 2);
}
