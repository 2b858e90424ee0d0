// The shared tier's two connections on CAF's test coordinator, between test
// doubles of its workers (tests/support/tier_world): each pipeline and
// (re)connection is answered when the test says, time moves only when the
// test advances it, and what the workers were asked and what the lookups
// answered is checked in order. Each story ends with a ping whose answer
// must be the next line, and nothing after it. The same tier against a real
// redis-server is tests/io/redis_tier_test.cpp.

#include <catch2/catch.hpp>

#include <string>

#include "tests/support/tier_world.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

/// No claims across fronts: a miss is answered as soon as it is known.
redis_tier_config without_locks() {
  redis_tier_config config;
  config.lock_wait = 0ms;
  return config;
}

} // namespace

TEST_CASE("the tier connects the reader, then the writer, and retries with a "
          "backoff that doubles up to max_backoff",
          "[io][redis_tier]") {
  auto config = without_locks();
  config.max_backoff = 500ms;
  tier_world world{config};
  world.expect("reader: connect");
  world.fail(world.reader, "refused");
  // Down: a lookup is a miss at once, and the reader is not asked.
  world.lookup("early");
  world.expect("early: miss");
  world.expect_quiet();
  for (auto backoff : {200ms, 400ms, 500ms, 500ms}) {
    world.ds.advance(backoff - 1ms);
    world.expect_quiet();
    world.ds.advance(1ms);
    world.expect("reader: connect");
    world.fail(world.reader, "refused");
  }
  // The reader connects, the writer does not: still down, and it retries
  // both.
  world.ds.advance(500ms);
  world.expect("reader: connect");
  world.answer(world.reader, {});
  world.expect("writer: connect");
  world.fail(world.writer, "refused");
  world.ds.advance(500ms);
  world.connect();
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_up"] == 1);
  CHECK(stats.values["redis_errors_total"] == 6);
  CHECK(stats.values["redis_unavailable_total"] == 1);
}

TEST_CASE("a lookup not answered within the timeout is a miss, and lookups "
          "are misses at once while that pipeline is overdue",
          "[io][redis_tier]") {
  tier_world world{without_locks()};
  world.connect();
  world.lookup("slow");
  world.expect_get("slow");
  world.ds.advance(world.config.timeout - 1ms);
  world.expect_quiet();
  world.ds.advance(1ms);
  world.expect("slow: miss");
  // Redis is slow: no lookup queues behind the overdue pipeline.
  world.lookup("impatient");
  world.expect("impatient: miss");
  world.expect_quiet();
  CHECK(world.stats().values["redis_timeouts_total"] == 2);
  // The late answer is dropped, and the next lookup goes out again.
  world.answer(world.reader, replies({text_reply("slow", "lento")}));
  world.expect_quiet();
  world.lookup("later");
  world.expect_get("later");
  world.ds.advance(world.config.timeout - 1ms);
  world.answer(world.reader, replies({text_reply("later", "después")}));
  world.expect("later: hit después");
  world.expect_quiet();
  // Only the answered lookup is timed: from queueing to answer on the
  // actor clock, which the test moved by 4 ms.
  auto stats = world.stats();
  CHECK(stats.values["redis_timeouts_total"] == 2);
  CHECK(stats.values["redis_lookup_seconds_count"] == 1);
  CHECK(stats.values["redis_lookup_seconds_sum"] == Approx(0.004));
  CHECK(stats.values["redis_lookup_seconds_bucket{le=\"0.002\"}"] == 0);
  CHECK(stats.values["redis_lookup_seconds_bucket{le=\"0.005\"}"] == 1);
  CHECK(stats.values["redis_hits_total{kind=\"text\"}"] == 1);
}

TEST_CASE("lookups queued while the reader is busy go out together as one "
          "pipeline, in the order they came",
          "[io][redis_tier]") {
  tier_world world{without_locks()};
  world.connect();
  world.lookup("first");
  world.expect_get("first");
  world.lookup("second");
  world.lookup("third");
  world.lookup("fourth", "basic");
  // All three wait for the reader.
  world.expect_quiet();
  world.answer(world.reader, replies({nil_reply()}));
  world.expect("first: miss");
  // A cheaper model type also reads the premium entry.
  world.expect("reader: GET " + key_name("second") + " | GET "
               + key_name("third") + " | GET " + key_name("fourth", "basic")
               + " | GET " + key_name("fourth", "premium"));
  world.expect_quiet();
  world.answer(world.reader,
               replies({text_reply("second", "segundo"), nil_reply(),
                        nil_reply(), text_reply("fourth", "cuarto")}));
  world.expect("second: hit segundo");
  world.expect("third: miss");
  world.expect("fourth: hit cuarto");
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_hits_total{kind=\"text\"}"] == 2);
  CHECK(stats.values["redis_premium_hits_total"] == 1);
  CHECK(stats.values["redis_misses_total{kind=\"text\"}"] == 2);
}

TEST_CASE("a pipeline holds at most 256 lookups; the rest go in the next one",
          "[io][redis_tier]") {
  tier_world world{without_locks()};
  world.connect();
  world.lookup("busy");
  world.expect_get("busy");
  for (int i = 0; i < 300; ++i)
    world.lookup("text " + std::to_string(i));
  world.expect_quiet();
  world.answer(world.reader, replies({nil_reply()}));
  world.expect("busy: miss");
  auto pipeline = [](int from, int to) {
    std::string line = "reader: ";
    for (int i = from; i < to; ++i)
      line += (i == from ? "GET " : " | GET ")
              + key_name("text " + std::to_string(i));
    return line;
  };
  world.expect(pipeline(0, 256));
  world.expect_quiet();
  world.answer(world.reader, replies(std::vector<redis_reply>(256)));
  for (int i = 0; i < 256; ++i)
    world.expect("text " + std::to_string(i) + ": miss");
  world.expect(pipeline(256, 300));
  world.answer(world.reader, replies(std::vector<redis_reply>(44)));
  for (int i = 256; i < 300; ++i)
    world.expect("text " + std::to_string(i) + ": miss");
  world.expect_quiet();
}

TEST_CASE("writes go out in the order they were made, those made while the "
          "writer is busy together in one pipeline",
          "[io][redis_tier]") {
  auto config = without_locks();
  config.max_pending_writes = 3;
  tier_world world{config};
  world.connect();
  auto ttl = " " + std::to_string(world.config.ttl_s) + " ";
  world.store("one", "uno");
  auto first = world.expect_starting("writer: SETEX " + key_name("one") + ttl);
  CHECK(first.find("\"translated_text\": \"uno\"") != std::string::npos);
  world.store("two", "dos");
  world.store("three", "tres");
  world.store("four", "cuatro");
  // The queue holds three: the fifth is dropped.
  world.store("five", "cinco");
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_pending_writes"] == 3);
  CHECK(stats.values["redis_writes_dropped_total"] == 1);
  world.answer(world.writer, replies({status_reply()}));
  auto batch = world.expect_starting("writer: SETEX " + key_name("two") + ttl);
  auto three = batch.find(" | SETEX " + key_name("three") + ttl);
  auto four = batch.find(" | SETEX " + key_name("four") + ttl);
  CHECK(three != std::string::npos);
  CHECK(four != std::string::npos);
  CHECK(three < four);
  CHECK(batch.find(key_name("five")) == std::string::npos);
  world.expect_quiet();
  world.answer(world.writer, replies({status_reply(),
                                      status_reply(),
                                      {redis_reply_kind::error, "OOM", 0}}));
  world.expect_quiet();
  stats = world.stats();
  CHECK(stats.values["redis_writes_total"] == 3);
  CHECK(stats.values["redis_errors_total"] == 1);
  CHECK(stats.values["redis_pending_writes"] == 0);
  CHECK(stats.values["redis_up"] == 1);
}

TEST_CASE("a failed pipeline takes the tier down: lookups queued behind it are "
          "misses at once, writes are dropped, and it reconnects after 100 ms",
          "[io][redis_tier]") {
  tier_world world{without_locks()};
  world.connect();
  world.lookup("sent");
  world.expect_get("sent");
  world.lookup("queued 1");
  world.lookup("queued 2");
  world.fail(world.reader, "connection reset");
  // Down first, so the queued lookups fail before the one that was sent.
  world.expect("queued 1: miss");
  world.expect("queued 2: miss");
  world.expect("sent: miss");
  world.store("while down", "mientras");
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_up"] == 0);
  CHECK(stats.values["redis_errors_total"] == 1);
  CHECK(stats.values["redis_unavailable_total"] == 2);
  CHECK(stats.values["redis_writes_dropped_total"] == 1);
  world.ds.advance(99ms);
  world.expect_quiet();
  world.ds.advance(1ms);
  world.connect();
  world.lookup("back");
  world.expect_get("back");
  world.answer(world.reader, replies({text_reply("back", "de vuelta")}));
  world.expect("back: hit de vuelta");
  world.expect_quiet();
  CHECK(world.stats().values["redis_up"] == 1);
}

TEST_CASE("a failed write pipeline drops its writes and takes the tier down "
          "until it reconnects",
          "[io][redis_tier]") {
  tier_world world{without_locks()};
  world.connect();
  world.store("one", "uno");
  world.expect_starting("writer: SETEX " + key_name("one"));
  world.store("two", "dos");
  world.fail(world.writer, "connection reset");
  // The queued write goes out once the tier is back.
  world.lookup("down");
  world.expect("down: miss");
  world.expect_quiet();
  auto stats = world.stats();
  CHECK(stats.values["redis_up"] == 0);
  CHECK(stats.values["redis_writes_dropped_total"] == 1);
  CHECK(stats.values["redis_pending_writes"] == 1);
  world.ds.advance(100ms);
  world.connect();
  world.expect_starting("writer: SETEX " + key_name("two"));
  world.answer(world.writer, replies({status_reply()}));
  world.expect_quiet();
  CHECK(world.stats().values["redis_writes_total"] == 1);
}
