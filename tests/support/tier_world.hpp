#pragma once

// The shared cache tier (io/redis/redis_tier) on CAF's test coordinator, in
// front of test doubles of its two connections (io/redis/redis_worker): each
// double records every pipeline and (re)connection it is asked for and answers
// only when the test tells it to, oldest first, as the real worker would. A
// client double sends lookups and records the answers. Everything lands in
// one ordered log, as lines:
//   "reader: GET k"                    a pipeline on the lookup connection,
//   "writer: SETEX k 60 v | EVAL ..."  its commands joined by " | ",
//   "reader: connect"                  a (re)connection,
//   "<text>: hit <translation>"        a lookup's answer, or
//   "<text>: miss",
//   "pong"                             the answer to `ping`.

#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/send.hpp>

#include "io/redis/redis_config.hpp"
#include "messages/cache_types.hpp"
#include "messages/metrics.hpp"
#include "messages/redis.hpp"
#include "tests/support/deterministic.hpp"

namespace parley::test {

/// A tier spawned on the test coordinator between its doubles.
struct tier_world {
  explicit tier_world(redis_tier_config config = {});

  ~tier_world();

  /// Connects both doubles, as a Redis that answers would: the tier is up
  /// on return.
  void connect();

  /// Asks the tier for the translation of `text` (English to Spanish, of
  /// `model_type`), and runs.
  void lookup(const std::string& text,
              const std::string& model_type = "premium");

  /// Tells the tier to store `translated` for `text`, and runs.
  void store(const std::string& text, const std::string& translated,
             const std::string& model_type = "premium");

  /// Tells the tier that `text` will not be stored, and runs.
  void abandon(const std::string& text,
               const std::string& model_type = "premium");

  /// Answers the oldest request `worker` holds (a pipeline or a connection),
  /// and runs.
  void answer(const caf::actor& worker, redis_replies replies);

  /// Answers the oldest request of `worker` with a failed connection.
  void fail(const caf::actor& worker, const std::string& why);

  /// Takes the next line of the log, which must be `line`.
  void expect(const std::string& line);

  /// Takes the next line of the log, which must be the reader's lookup of
  /// `text` alone.
  void expect_get(const std::string& text,
                  const std::string& model_type = "premium");

  /// Takes the next line of the log, which must start with `prefix`;
  /// returns it.
  std::string expect_starting(const std::string& prefix);

  /// The sentinel: asks the tier for its counters and expects their answer
  /// as the next line, then nothing more. The tier handles its mailbox in
  /// order, so whatever it sent before it read the ping is in the log before
  /// "pong".
  void expect_quiet();

  /// The tier's counters, as `/metrics` reads them.
  metrics stats();

  redis_tier_config config;
  deterministic_system ds;
  std::shared_ptr<ordered_log> log = std::make_shared<ordered_log>();
  caf::actor reader;
  caf::actor writer;
  caf::actor client;
  caf::actor tier;
};

/// The tier's key for `text`, English to Spanish, of `model_type`.
tier_text_key text_key(const std::string& text,
                       const std::string& model_type = "premium");

/// `translation:text:{hash}` of that key.
std::string key_name(const std::string& text,
                     const std::string& model_type = "premium");

/// Replies of the kinds Redis gives.
redis_reply nil_reply();
redis_reply status_reply(const std::string& status = "OK");
redis_reply integer_reply(int64_t n);
/// A translation of `text` as the service Parley replaces writes it.
redis_reply text_reply(const std::string& text, const std::string& translated,
                       const std::string& model_type = "premium");

redis_replies replies(std::vector<redis_reply> each);

} // namespace parley::test
