// The conversation memory that fronts share through the Redis tier
// (io/redis/redis_languages): first on CAF's test coordinator, between the
// doubles of the tier's two connections (tests/support/tier_world), with
// what each connection is asked checked in order; then two fronts, each with
// its memory and its own tier, on one real redis-server. The memory alone
// is in tests/actors/conversation_memory_test.cpp.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/conversation_memory.hpp"
#include "io/redis/redis_format.hpp"
#include "io/redis/redis_tier.hpp"
#include "messages/detection.hpp"
#include "server/system_config.hpp"
#include "tests/support/log_watch.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/tier_world.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

using languages = std::vector<std::string>;

/// Has a probe ask the tier for the languages of these keys, and runs.
void recall(tier_world& world, const std::string& conversation,
            const std::string& sender) {
  ask<language_history>(world.ds, world.log, caf::infinite, world.tier,
                        recall_atom::value,
                        conversation_keys{conversation, sender});
  world.ds.run();
}

void remember(tier_world& world, const std::string& conversation,
              const std::string& sender, const std::string& language) {
  caf::anon_send(world.tier, remember_atom::value,
                 conversation_keys{conversation, sender}, language);
  world.ds.run();
}

void expect_history(tier_world& world, const languages& conversation,
                    const languages& sender) {
  world.log->expect_next<language_history>(
      "the history " + caf::deep_to_string(conversation) + " / "
          + caf::deep_to_string(sender),
      [&](const language_history& history) {
        return history.conversation == conversation && history.sender == sender;
      });
}

redis_reply value_reply(const std::string& value) {
  return {redis_reply_kind::text, value, 0};
}

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size()
         && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

/// Asks `memory` for `xs...` and waits for its answer, a `Result`.
template <class Result, class... Ts>
Result ask_and_wait(caf::scoped_actor& self,
                    const local_conversation_memory_actor& memory, Ts... xs) {
  Result result;
  self->request(memory, std::chrono::seconds(20), xs...)
      .receive([&](Result& answer) { result = std::move(answer); },
               [&](caf::error& err) { FAIL(caf::to_string(err)); });
  return result;
}

language_history recall(caf::scoped_actor& self,
                        const local_conversation_memory_actor& memory,
                        const conversation_keys& keys) {
  return ask_and_wait<language_history>(self, memory, recall_atom::value, keys);
}

double stat(caf::scoped_actor& self,
            const local_conversation_memory_actor& memory,
            const std::string& name) {
  return ask_and_wait<metrics>(self, memory, stats_atom::value).values[name];
}

} // namespace

TEST_CASE("the tier reads a conversation and a sender in one lookup, and puts "
          "a remembered language in front of each list with a day's expiry",
          "[io][redis_tier]") {
  tier_world world;
  world.connect();
  recall(world, "c1", "u1");
  world.expect("reader: GET parley:lang:c:c1 | GET parley:lang:s:u1");
  world.expect_quiet();
  world.answer(world.reader, replies({value_reply("fr,de"), nil_reply()}));
  expect_history(world, {"fr", "de"}, {});
  world.expect_quiet();
  remember(world, "c1", "u1", "pt-BR");
  // The script, its one key, the language, how many languages the list
  // keeps, and the expiry in seconds; once per key, in order.
  CHECK(ends_with(world.expect_starting("writer: EVAL "),
                  " 1 parley:lang:c:c1 pt-BR 16 86400"));
  world.expect_quiet();
  world.answer(world.writer, replies({status_reply()}));
  CHECK(ends_with(world.expect_starting("writer: EVAL "),
                  " 1 parley:lang:s:u1 pt-BR 16 86400"));
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_hits_total{kind=\"languages\"}"] == 1);
  CHECK(stats.values["redis_misses_total{kind=\"languages\"}"] == 1);
}

TEST_CASE("a recall Redis does not answer in time, or answers with what is "
          "not a list of languages, is an empty history",
          "[io][redis_tier]") {
  tier_world world;
  world.connect();
  // No ids: Redis is not asked.
  recall(world, "", "");
  expect_history(world, {}, {});
  world.expect_quiet();
  recall(world, "", "u1");
  world.expect("reader: GET parley:lang:s:u1");
  world.ds.advance(world.config.timeout);
  expect_history(world, {}, {});
  world.expect_quiet();
  // The late answer is dropped.
  world.answer(world.reader, replies({value_reply("fr")}));
  world.expect_quiet();
  recall(world, "c1", "u1");
  world.expect("reader: GET parley:lang:c:c1 | GET parley:lang:s:u1");
  world.answer(world.reader,
               replies({value_reply("fr,,de"), value_reply("{\"fr\": 1}")}));
  expect_history(world, {}, {});
  world.expect_quiet();
  // A language that would break the list is not written.
  remember(world, "c1", "u1", "fr,de");
  remember(world, "c1", "u1", "");
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_corrupt_total"] == 2);
  CHECK(stats.values["redis_timeouts_total"] == 1);
}

TEST_CASE("a conversation's languages remembered on one front are recalled by "
          "another front that never saw the conversation",
          "[io][redis]") {
  redis_server redis;
  log_watch log;
  system_config cfg;
  caf::actor_system sys{cfg};
  auto tier_a = spawn_redis_tier(sys, redis.tier_config());
  REQUIRE(log.wait_for("redis: connected to"));
  auto tier_b = spawn_redis_tier(sys, redis.tier_config());
  REQUIRE(log.wait_for("redis: connected to"));
  conversation_memory_config config;
  // Generous: tests check behaviour, not speed, on a loaded machine.
  config.shared_timeout = 10s;
  auto front_a = spawn_conversation_memory(sys, config, tier_a);
  auto front_b = spawn_conversation_memory(sys, config, tier_b);
  const std::string conversation_key = conversation_languages_key_name("c1");
  const std::string sender_key = sender_languages_key_name("u1");
  key_events conversation_events{redis, conversation_key};
  key_events sender_events{redis, sender_key};
  caf::scoped_actor self{sys};
  for (int i = 0; i < 3; ++i)
    self->send(front_a, remember_atom::value, conversation_keys{"c1", "u1"},
               std::string{"fr"});
  auto three_fr = [](const std::optional<std::string>& value) {
    return value == "fr,fr,fr";
  };
  REQUIRE(conversation_events.wait_until(three_fr));
  REQUIRE(sender_events.wait_until(three_fr));
  auto ttl = redis.ttl(conversation_key);
  CHECK(ttl > 86400 - 60);
  CHECK(ttl <= 86400);
  auto history = recall(self, front_b, conversation_keys{"c1", "u1"});
  CHECK(history.conversation == languages{"fr", "fr", "fr"});
  CHECK(history.sender == languages{"fr", "fr", "fr"});
  CHECK(stat(self, front_b, "conversation_memory_shared_hits_total") == 1);
  CHECK(stat(self, front_b, "conversation_memory_keys") == 2);
  // Front A answers from its own memory.
  CHECK(stat(self, front_a, "conversation_memory_keys") == 2);
  history = recall(self, front_a, conversation_keys{"c1", ""});
  CHECK(history.conversation == languages{"fr", "fr", "fr"});
  CHECK(stat(self, front_a, "conversation_memory_shared_hits_total") == 0);
  for (const auto& actor : {caf::actor_cast<caf::actor>(front_a),
                            caf::actor_cast<caf::actor>(front_b),
                            caf::actor_cast<caf::actor>(tier_a),
                            caf::actor_cast<caf::actor>(tier_b)})
    self->send_exit(actor, caf::exit_reason::user_shutdown);
}
