// The shared tier's claims across fronts on CAF's test coordinator, between
// test doubles of its workers (tests/support/tier_world): the replies of
// Redis are the test's, so another front's claim is a `SET NX` that answers
// nil, and time moves only when the test advances it. Each story ends with
// a ping whose answer must be the next line, and nothing after it. Two real
// fronts sharing a real redis-server are in tests/io/redis_tier_test.cpp.

#include <catch2/catch.hpp>

#include <string>

#include "tests/support/tier_world.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size()
         && text.compare(text.size() - suffix.size(), suffix.size(), suffix)
                == 0;
}

std::string lock_of(const std::string& text) {
  return "parley:lock:" + key_name(text);
}

/// Looks `text` up, answers that Redis does not hold it, and expects the
/// claim that follows; returns the claim's token.
std::string miss_and_claim(tier_world& world, const std::string& text) {
  world.lookup(text);
  world.expect_get(text);
  world.answer(world.reader, replies({nil_reply()}));
  auto prefix = "reader: SET " + lock_of(text) + " ";
  auto claim = world.expect_starting(prefix);
  auto suffix = " NX PX " + std::to_string(world.config.lock_ttl.count())
                + " | GET " + key_name(text);
  REQUIRE(ends_with(claim, suffix));
  auto token =
      claim.substr(prefix.size(), claim.size() - prefix.size() - suffix.size());
  REQUIRE_FALSE(token.empty());
  return token;
}

/// Expects the release of this front's claim on `text`, by compare and
/// delete.
void expect_release(tier_world& world, const std::string& text,
                    const std::string& token) {
  auto release = world.expect_starting("writer: EVAL ");
  CHECK(ends_with(release, " 1 " + lock_of(text) + " " + token));
}

} // namespace

TEST_CASE("a miss claims the text for this front; storing it writes the "
          "value first, then releases the claim",
          "[io][redis_tier]") {
  tier_world world;
  world.connect();
  auto token = miss_and_claim(world, "new");
  world.answer(world.reader, replies({status_reply(), nil_reply()}));
  world.expect("new: miss");
  world.expect_quiet();
  CHECK(world.stats().values["redis_locks_total"] == 1);
  world.store("new", "nuevo");
  world.expect_starting("writer: SETEX " + key_name("new") + " ");
  world.answer(world.writer, replies({status_reply()}));
  expect_release(world, "new", token);
  world.answer(world.writer, replies({integer_reply(1)}));
  world.expect_quiet();
  // The claim is gone: storing again releases nothing.
  world.store("new", "nuevo");
  world.expect_starting("writer: SETEX " + key_name("new") + " ");
  world.answer(world.writer, replies({status_reply()}));
  world.expect_quiet();
  CHECK(world.stats().values["redis_writes_total"] == 3);
}

TEST_CASE("abandoning a claimed text releases the claim, once",
          "[io][redis_tier]") {
  tier_world world;
  world.connect();
  auto token = miss_and_claim(world, "failed");
  world.answer(world.reader, replies({status_reply(), nil_reply()}));
  world.expect("failed: miss");
  world.abandon("failed");
  expect_release(world, "failed", token);
  world.answer(world.writer, replies({integer_reply(1)}));
  world.abandon("failed");
  world.expect_quiet();
}

TEST_CASE("a claim that finds the value written since the lookup answers it "
          "and drops the claim at once",
          "[io][redis_tier]") {
  tier_world world;
  world.connect();
  auto token = miss_and_claim(world, "raced");
  world.answer(world.reader,
               replies({status_reply(), text_reply("raced", "ganado")}));
  expect_release(world, "raced", token);
  world.expect("raced: hit ganado");
  world.expect_quiet();
  CHECK(world.stats().values["redis_locks_total"] == 0);
}

TEST_CASE("a text another front claimed is read again every lock_poll until "
          "its value arrives",
          "[io][redis_tier]") {
  tier_world world;
  world.connect();
  miss_and_claim(world, "claimed");
  // The SET finds the other front's claim.
  world.answer(world.reader, replies({nil_reply(), nil_reply()}));
  world.expect_quiet();
  CHECK(world.stats().values["redis_lock_waits_total"] == 1);
  world.ds.advance(world.config.lock_poll - 1ms);
  world.expect_quiet();
  world.ds.advance(1ms);
  world.expect_get("claimed");
  world.answer(world.reader, replies({nil_reply()}));
  world.expect_quiet();
  world.ds.advance(world.config.lock_poll);
  world.expect_get("claimed");
  world.answer(world.reader, replies({text_reply("claimed", "reclamado")}));
  world.expect("claimed: hit reclamado");
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_lock_wait_hits_total"] == 1);
  CHECK(stats.values["redis_lock_wait_expired_total"] == 0);
}

TEST_CASE("a front that waits for a claimed text gives up after lock_wait and "
          "computes it, holding no claim",
          "[io][redis_tier]") {
  redis_tier_config config;
  config.lock_wait = 20ms;
  config.lock_poll = 5ms;
  tier_world world{config};
  world.connect();
  miss_and_claim(world, "claimed");
  world.answer(world.reader, replies({nil_reply(), nil_reply()}));
  // Polls at 5, 10, 15 and 20 ms; the one answered at 20 ms is the last.
  for (int poll = 1; poll <= 4; ++poll) {
    world.expect_quiet();
    world.ds.advance(5ms);
    world.expect_get("claimed");
    world.answer(world.reader, replies({nil_reply()}));
  }
  world.expect("claimed: miss");
  world.expect_quiet();
  CHECK(world.stats().values["redis_lock_wait_expired_total"] == 1);
  // Its value is written, and no claim of its own is released.
  world.store("claimed", "reclamado");
  world.expect_starting("writer: SETEX " + key_name("claimed") + " ");
  world.answer(world.writer, replies({status_reply()}));
  world.expect_quiet();
}
