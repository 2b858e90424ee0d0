// The conversation memory alone, on CAF's test coordinator: every message
// runs on the test's thread and time moves only when the test advances it.
// The shared tier is a double that logs what it is told and holds each
// recall until the test answers it, or forever. Each story ends with a
// sentinel: the memory's counters, whose answer must be the next entry of
// the log, and nothing after it. The same memory shared through a real
// redis-server is in tests/io/redis/redis_languages_test.cpp.

#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/conversation_memory.hpp"
#include "messages/detection.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/deterministic.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

using languages = std::vector<std::string>;

/// The shared tier's double: it answers `answer` with the history given to
/// its oldest held recall.
using tier_double_actor = conversation_memory_actor::extend<
    caf::reacts_to<answer_atom, language_history>>;

std::string render(const conversation_keys& keys) {
  return keys.conversation + "/" + keys.sender;
}

/// Logs "tier: recall <conversation>/<sender>" and holds the recall until
/// told `answer`; logs "tier: remember <conversation>/<sender> <language>".
tier_double_actor spawn_tier_double(caf::actor_system& sys,
                                    std::shared_ptr<ordered_log> log) {
  using promise_type = caf::typed_response_promise<language_history>;
  auto held = std::make_shared<std::deque<promise_type>>();
  return sys.spawn(
      [=](tier_double_actor::pointer self) -> tier_double_actor::behavior_type {
        return {
            [=](recall_atom, const conversation_keys& keys)
                -> caf::result<language_history> {
              log->push("tier: recall " + render(keys));
              held->push_back(self->make_response_promise<language_history>());
              return held->back();
            },
            [=](remember_atom, const conversation_keys& keys,
                const std::string& language) {
              log->push("tier: remember " + render(keys) + " " + language);
            },
            [=](answer_atom, language_history& history) {
              if (held->empty())
                FAIL("the tier was told to answer, but holds no recall");
              auto oldest = std::move(held->front());
              held->pop_front();
              oldest.deliver(std::move(history));
            },
        };
      });
}

/// The memory on the test coordinator, with the tier's double when
/// `shared`. Its answers land in `log`, after the double's lines.
struct memory_world {
  explicit memory_world(conversation_memory_config config = {},
                        bool shared = false)
      : config(config) {
    if (shared)
      tier = spawn_tier_double(ds.sys(), log);
    memory = spawn_conversation_memory(ds.sys(), config, tier);
    ds.run();
  }

  ~memory_world() {
    caf::anon_send_exit(memory, caf::exit_reason::user_shutdown);
    if (tier)
      caf::anon_send_exit(tier, caf::exit_reason::user_shutdown);
  }

  void remember(const std::string& conversation, const std::string& sender,
                const std::string& language) {
    caf::anon_send(memory, remember_atom::value,
                   conversation_keys{conversation, sender}, language);
    ds.run();
  }

  /// Asks for a recall, whose answer lands in the log, and runs.
  void recall(const std::string& conversation, const std::string& sender) {
    ask<language_history>(ds, log, caf::infinite, memory, recall_atom::value,
                          conversation_keys{conversation, sender});
    ds.run();
  }

  /// Takes the next entry of the log, which must be this history.
  void expect_history(const languages& conversation, const languages& sender) {
    log->expect_next<language_history>(
        "the history " + caf::deep_to_string(conversation) + " / "
            + caf::deep_to_string(sender),
        [&](const language_history& history) {
          return history.conversation == conversation
                 && history.sender == sender;
        });
  }

  /// Takes the next entry of the log, which must be `line`.
  void expect(const std::string& line) {
    log->expect_next<std::string>(
        '"' + line + '"',
        [&](const std::string& next) { return next == line; });
  }

  /// The sentinel: asks the memory for its counters and expects their answer
  /// as the next entry, then nothing more. The memory handles its mailbox in
  /// order, so whatever it did before it read the question is in the log
  /// before the answer.
  void expect_quiet() {
    ask<metrics>(ds, log, caf::infinite, memory, stats_atom::value);
    ds.run();
    log->expect_next<metrics>();
    log->expect_nothing_more();
  }

  double stat(const std::string& name) {
    return stats_of(ds, memory).values[name];
  }

  conversation_memory_config config;
  deterministic_system ds;
  std::shared_ptr<ordered_log> log = std::make_shared<ordered_log>();
  tier_double_actor tier;
  local_conversation_memory_actor memory;
};

conversation_memory_config with_capacity(size_t capacity) {
  conversation_memory_config config;
  config.capacity = capacity;
  return config;
}

} // namespace

TEST_CASE("the memory recalls the languages remembered for a conversation and "
          "a sender, most recent first, at most depth of them",
          "[actors]") {
  conversation_memory_config config;
  config.depth = 3;
  memory_world world{config};
  for (auto language : {"fr", "de", "it", "es"})
    world.remember("c1", "u1", language);
  world.recall("c1", "u1");
  world.expect_history({"es", "it", "de"}, {"es", "it", "de"});
  // The same sender in another conversation.
  world.remember("c2", "u1", "pt");
  world.recall("c1", "u1");
  world.expect_history({"es", "it", "de"}, {"pt", "es", "it"});
  world.recall("c2", "");
  world.expect_history({"pt"}, {});
  world.expect_quiet();
  CHECK(world.stat("conversation_memory_keys") == 3);
}

TEST_CASE("a conversation and a sender with the same id are kept apart",
          "[actors]") {
  memory_world world;
  world.remember("42", "", "fr");
  world.remember("", "42", "de");
  world.recall("42", "42");
  world.expect_history({"fr"}, {"de"});
  world.recall("", "42");
  world.expect_history({}, {"de"});
  world.expect_quiet();
  CHECK(world.stat("conversation_memory_keys") == 2);
}

TEST_CASE("empty ids and empty languages are ignored", "[actors]") {
  memory_world world;
  world.remember("", "", "fr");
  world.remember("c1", "u1", "");
  world.recall("c1", "u1");
  world.expect_history({}, {});
  world.recall("", "");
  world.expect_history({}, {});
  world.expect_quiet();
  CHECK(world.stat("conversation_memory_keys") == 0);
  // A conversation without a sender holds the conversation alone.
  world.remember("c1", "", "fr");
  CHECK(world.stat("conversation_memory_keys") == 1);
}

TEST_CASE("a long id is remembered under its digest, so no key grows with "
          "what the client sends",
          "[actors]") {
  memory_world world{conversation_memory_config{}, /*shared=*/true};
  std::string long_id(100000, 'x');
  world.remember(long_id, "", "fr");
  // The shared tier is told the bounded keys only.
  world.log->expect_next<std::string>(
      "the tier told fr under the digest", [](const std::string& line) {
        return line.rfind("tier: remember sha256:", 0) == 0 && line.size() < 100
               && line.substr(line.size() - 4) == "/ fr";
      });
  world.recall(long_id, "");
  world.expect_history({"fr"}, {});
  world.expect_quiet();
}

TEST_CASE("the memory holds at most its capacity: after capacity + N keys the "
          "N oldest are forgotten",
          "[actors]") {
  constexpr size_t capacity = 100;
  constexpr size_t extra = 50;
  memory_world world{with_capacity(capacity)};
  for (size_t i = 0; i < capacity + extra; ++i) {
    world.remember("c" + std::to_string(i), "", "fr");
    REQUIRE(world.stat("conversation_memory_keys")
            == static_cast<double>(std::min(i + 1, capacity)));
  }
  CHECK(world.stat("conversation_memory_capacity") == capacity);
  CHECK(world.stat("conversation_memory_evictions_total") == extra);
  for (size_t i = 0; i < capacity + extra; ++i) {
    world.recall("c" + std::to_string(i), "");
    if (i < extra)
      world.expect_history({}, {});
    else
      world.expect_history({"fr"}, {});
  }
  world.expect_quiet();
}

TEST_CASE("conversations and senders share the capacity, and a recall keeps a "
          "key from being the next forgotten",
          "[actors]") {
  memory_world world{with_capacity(6)};
  for (auto i : {"0", "1", "2"})
    world.remember(std::string{"c"} + i, std::string{"u"} + i, "fr");
  CHECK(world.stat("conversation_memory_keys") == 6);
  // c0 and u0 become the most recently used; c1, u1, c2, u2 the oldest.
  world.recall("c0", "u0");
  world.expect_history({"fr"}, {"fr"});
  world.remember("c3", "u3", "de");
  world.remember("c4", "u4", "de");
  CHECK(world.stat("conversation_memory_keys") == 6);
  CHECK(world.stat("conversation_memory_evictions_total") == 4);
  world.recall("c1", "u2");
  world.expect_history({}, {});
  world.recall("c2", "u1");
  world.expect_history({}, {});
  world.recall("c0", "u0");
  world.expect_history({"fr"}, {"fr"});
  world.recall("c3", "u4");
  world.expect_history({"de"}, {"de"});
  world.expect_quiet();
}

TEST_CASE("a recall that the shared tier does not answer in time is answered "
          "with what the memory holds, once",
          "[actors]") {
  conversation_memory_config config;
  config.shared_timeout = 20ms;
  memory_world world{config, /*shared=*/true};
  world.remember("", "u1", "de");
  world.expect("tier: remember /u1 de");
  // Only the key not held here is asked for.
  world.recall("c1", "u1");
  world.expect("tier: recall c1/");
  world.expect_quiet();
  world.ds.advance(19ms);
  world.expect_quiet();
  world.ds.advance(1ms);
  world.expect_history({}, {"de"});
  world.expect_quiet();
  CHECK(world.stat("conversation_memory_shared_failures_total") == 1);
  CHECK(world.stat("conversation_memory_keys") == 1);
}

TEST_CASE("what the shared tier answers fills the memory, trimmed to its "
          "depth, and is not asked for again",
          "[actors]") {
  conversation_memory_config config;
  config.depth = 2;
  memory_world world{config, /*shared=*/true};
  world.recall("c1", "u1");
  world.expect("tier: recall c1/u1");
  world.expect_quiet();
  caf::anon_send(world.tier, answer_atom::value,
                 language_history{{"fr", "fr", "fr"}, {"de"}});
  world.ds.run();
  world.expect_history({"fr", "fr"}, {"de"});
  world.recall("c1", "u1");
  world.expect_history({"fr", "fr"}, {"de"});
  // Remembered here, and written through to the tier.
  world.remember("c1", "", "it");
  world.expect("tier: remember c1/ it");
  world.recall("c1", "u1");
  world.expect_history({"it", "fr"}, {"de"});
  world.expect_quiet();
  CHECK(world.stat("conversation_memory_shared_hits_total") == 1);
  CHECK(world.stat("conversation_memory_keys") == 2);
}
