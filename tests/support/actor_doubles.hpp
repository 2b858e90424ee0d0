#pragma once

// Test doubles for the actors around the router and its handlers, for tests
// on CAF's test coordinator (tests/support/deterministic.hpp): each pushes
// what it receives into an `ordered_log`, and holds what it is asked until
// the test tells it to answer. `router_world` puts the real router and cache
// between them.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "actors/replica_pool.hpp"
#include "actors/router.hpp"
#include "messages/error_code.hpp"
#include "messages/fwd.hpp"
#include "messages/metrics.hpp"
#include "messages/replica.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "tests/support/deterministic.hpp"

namespace parley::test {

/// Tells a holding double to answer the oldest request it holds; with a
/// `caf::error`, to fail it with that error.
using answer_atom = caf::atom_constant<caf::atom("answer")>;

/// Tells a replica's double to die without answering, as a replica whose
/// backend failed beyond repair.
using die_atom = caf::atom_constant<caf::atom("die")>;

/// Sent to a client's double after the messages a test waits for: it logs
/// the ping after everything that reached it first, so "nothing more came"
/// is "the next entry is the ping".
using ping_atom = caf::atom_constant<caf::atom("ping")>;

/// How a double answers a translation job: "<target>:<text>", as the probe
/// backend does.
std::string translated_text(const translation_job& job);

/// A pool's double, for every task: logs each job it is asked (a
/// `translation_job`, an `audio_window` or a `synthesize_request`) and holds
/// it until told `answer`, oldest first. A translation is answered as
/// `translated_text`, routed from source to target; a window is heard as
/// `heard_text` in English; a text is spoken as 100 samples in its language.
caf::actor spawn_held_pool(caf::actor_system& sys,
                           std::shared_ptr<ordered_log> jobs);

/// What the held pool hears in every window.
constexpr const char* heard_text = "hello world";

/// A translation replica's double, started as a model actor is: it announces
/// `info` to its supervisor and its pool, unless `loads` is false; then it
/// quits as a replica whose checkpoint failed to load. It logs each batch it
/// gets and holds it until told `answer` (every job answered as
/// `translated_text`) or `die` (it quits, answering nothing).
caf::actor spawn_held_replica(caf::actor_system& sys, replica_info info,
                              pool_actor pool, supervisor_actor supervisor,
                              std::shared_ptr<ordered_log> batches,
                              bool loads = true);

/// A replica of model "m" on node `node` that takes at most `max_batch` jobs
/// (0: the pool's limit).
replica_info replica_of_m(std::string node = "local", uint32_t max_batch = 0);

/// A client's double: sends each `translate_request` and `audio_request` it
/// is given to `router` with itself as the sink, and a `shutdown` with its
/// drain time. It logs every event it hears, in arrival order; the router's
/// answer to the shutdown as the atom `done`; and a `ping` as the atom
/// `ping`.
caf::actor spawn_client(caf::actor_system& sys, router_actor router,
                        std::shared_ptr<ordered_log> events);

/// The audio codec's double: decodes any recording as `decoded_ms` of
/// silence, and encodes speech as "speech-<language>" in the format asked.
caf::actor spawn_codec_double(caf::actor_system& sys, uint32_t decoded_ms);

/// Takes from a job log the next translation job: `text` into `target`.
translation_job expect_job(ordered_log& jobs, const std::string& target,
                           const std::string& text);

/// Takes from a replica's log the next batch: jobs of these texts, in order.
void expect_batch(ordered_log& batches, const std::vector<std::string>& texts);

/// Takes from a client's log the result of request `id` in `lang`.
translation expect_translation(ordered_log& events, uint64_t id,
                               const std::string& lang);

/// Takes from a client's log the failure of request `id` in `lang` (empty:
/// the whole request) with `code`.
translation_failure expect_failure(ordered_log& events, uint64_t id,
                                   const std::string& lang, error_code code);

/// Takes from a client's log the end of request `id`, with its counts.
void expect_done(ordered_log& events, uint64_t id, uint32_t completed,
                 uint32_t failed);

/// Takes from a log the atom `what` (the client's `done` or `ping`).
void expect_atom(ordered_log& events, caf::atom_value what);

/// Takes from a log the next error: one with `code` whose explanation holds
/// `naming`.
caf::error expect_error(ordered_log& log, error_code code,
                        const std::string& naming = "");

/// The entry of `entries` (nodes, models) whose `name` is `name`; fails the
/// test when there is none.
template <class T>
const T& entry_named(const std::vector<T>& entries, const std::string& name) {
  for (const auto& entry : entries)
    if (entry.name == name)
      return entry;
  FAIL("no entry named " << name);
  return entries.front();
}

/// Pings the client and expects the ping as its next entry: nothing else
/// reached it in between.
template <class World> void expect_nothing_before_ping(World& world) {
  caf::anon_send(world.client, ping_atom::value);
  world.ds.run();
  expect_atom(*world.events, ping_atom::value);
  world.events->expect_nothing_more();
}

/// The router on the test coordinator, between doubles: a held pool serves
/// model "m", the real cache sits in front of it, and a client sends the
/// requests. `start` spawns the router, once the test has set up the rest.
struct router_world {
  router_world();
  ~router_world();

  /// Spawns the router and the client. A setup without models gets "m" on
  /// `pool`; one without a cache gets `cache`. Zero timeouts become an hour.
  void start(router_setup setup = {});

  /// Queues a request to the client, which sends it on to the router.
  template <class Request> void send(Request request) {
    caf::anon_send(client, std::move(request));
  }

  /// Tells the held pool to answer its oldest job.
  void answer();

  deterministic_system ds;
  std::shared_ptr<ordered_log> jobs = std::make_shared<ordered_log>();
  std::shared_ptr<ordered_log> events = std::make_shared<ordered_log>();
  caf::actor pool;
  cache_actor cache;
  router_actor router;
  caf::actor client;
};

/// Moves the clock to just before `timeout` has passed since request `id`
/// began and expects nothing; then by one deadline check of the router, and
/// expects its one language `lang` to fail with TIMEOUT, and nothing more.
void expect_timeout_after(router_world& world, caf::timespan timeout,
                          uint64_t id, const std::string& lang);

/// The router world with model "m" served by a real pool, whose replicas'
/// doubles log their batches into `batches`. The test adds its replicas,
/// then calls `start_with_pool`.
struct pool_world : router_world {
  explicit pool_world(size_t max_batch, size_t queue_capacity = 1024);
  ~pool_world();

  /// Spawns the router with "m" on `model_pool`.
  void start_with_pool();

  /// The pool's counter `name`, for model "m".
  double pool_stat(const std::string& name);

  std::shared_ptr<ordered_log> batches = std::make_shared<ordered_log>();
  pool_actor model_pool;
};

} // namespace parley::test
