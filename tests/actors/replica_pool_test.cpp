// The replica pool alone, on CAF's test coordinator: every message runs on
// the test's thread and time moves only when the test advances it, so each
// check sees exactly what the pool did, and "nothing more" is "nothing left to
// run". The replicas are held: they keep each batch until the test answers
// it, or die when the test kills them.

#include <catch2/catch.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/replica_pool.hpp"
#include "actors/telemetry.hpp"
#include "messages/error_code.hpp"
#include "messages/replica.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "tests/support/actor_doubles.hpp"
#include "tests/support/deterministic.hpp"

using namespace parley;
using namespace parley::test;
using namespace std::chrono_literals;

namespace {

/// What a held replica saw: the texts of each batch, in order.
struct replica_log {
  std::vector<std::vector<std::string>> batches;
};

/// A translation replica that holds each batch until told `done`; it then
/// answers every job with "<text>@<name>".
caf::actor spawn_held_replica(caf::actor_system& sys, std::string name,
                              std::shared_ptr<replica_log> log) {
  struct held {
    translation_batch batch;
    caf::typed_response_promise<batch_output> promise;
  };
  auto pending = std::make_shared<std::deque<held>>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](infer_atom, translation_batch& batch) {
          std::vector<std::string> texts;
          for (auto& job : batch.jobs)
            texts.push_back(job.text);
          log->batches.push_back(texts);
          auto promise = self->make_response_promise<batch_output>();
          pending->push_back({std::move(batch), promise});
          return promise;
        },
        [=](done_atom) {
          if (pending->empty())
            return;
          auto next = std::move(pending->front());
          pending->pop_front();
          batch_output out;
          for (auto& job : next.batch.jobs)
            out.outputs.push_back(job_output{job.text + "@" + name, {}, {}});
          next.promise.deliver(std::move(out));
        },
    };
  });
}

/// What a client saw: one line per answer, in arrival order.
struct client_log {
  std::vector<std::string> answers;
};

/// A client that submits each job it is sent and records the answer: the
/// text, or "error:<code>".
caf::actor spawn_client(caf::actor_system& sys, pool_actor pool,
                        std::shared_ptr<client_log> log) {
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](translation_job& job) {
          self->request(pool, caf::infinite, infer_atom::value, job)
              .then([=](job_result& r) { log->answers.push_back(r.text); },
                    [=](caf::error& err) {
                      log->answers.push_back(
                          "error:"
                          + std::string(
                              to_string(static_cast<error_code>(err.code()))));
                    });
        },
    };
  });
}

translation_job job(std::string text, lane priority = lane::interactive) {
  return translation_job{"en", "es", std::move(text), priority};
}

struct pool_fixture {
  deterministic_system ds;
  pool_actor pool;
  std::shared_ptr<client_log> answers = std::make_shared<client_log>();
  caf::actor client;

  explicit pool_fixture(pool_config config) {
    config.model_name = "m";
    pool = spawn_pool(ds.sys(), model_task::translation, config);
    client = spawn_client(ds.sys(), pool, answers);
  }

  ~pool_fixture() {
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  caf::actor replica(std::string node, std::shared_ptr<replica_log> log,
                     uint32_t max_batch = 0) {
    auto r = spawn_held_replica(ds.sys(), node, log);
    caf::anon_send(pool, ready_atom::value, replica_of_m(node, max_batch),
                   caf::actor_cast<replica_actor>(r));
    ds.run();
    return r;
  }

  void submit(translation_job j) {
    caf::anon_send(client, std::move(j));
    ds.run();
  }

  void answer(const caf::actor& replica) {
    caf::anon_send(replica, done_atom::value);
    ds.run();
  }

  pool_status status() {
    pool_status result;
    auto probe = ds.sys().spawn([&](caf::event_based_actor* self) {
      self->request(pool, caf::infinite, status_atom::value)
          .then([&](pool_status& s) { result = std::move(s); });
    });
    ds.run();
    return result;
  }
};

pool_config batching(size_t max_batch, caf::timespan max_delay,
                     size_t capacity = 100) {
  pool_config c;
  c.max_batch = max_batch;
  c.max_delay = max_delay;
  c.queue_capacity = capacity;
  return c;
}

} // namespace

TEST_CASE("a pool flushes a batch once max_batch jobs are queued",
          "[pool][actors]") {
  pool_fixture fx{batching(3, 10ms)};
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("one"));
  fx.submit(job("two"));
  CHECK(log->batches.empty());
  CHECK(fx.status().queued == 2);
  fx.submit(job("three"));
  REQUIRE(log->batches.size() == 1);
  CHECK(log->batches[0] == std::vector<std::string>{"one", "two", "three"});
  fx.answer(r);
  CHECK(fx.answers->answers
        == std::vector<std::string>{"one@a", "two@a", "three@a"});
  CHECK(fx.status().queued == 0);
}

TEST_CASE("a pool flushes a short batch once the oldest job waited max_delay",
          "[pool][actors]") {
  pool_fixture fx{batching(8, 10ms)};
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("one"));
  fx.ds.advance(4ms);
  fx.submit(job("two"));
  fx.ds.advance(5ms);
  CHECK(log->batches.empty()); // 9 ms: not yet
  fx.ds.advance(1ms);
  REQUIRE(log->batches.size() == 1);
  CHECK(log->batches[0] == std::vector<std::string>{"one", "two"});
  fx.answer(r);
  CHECK(fx.answers->answers.size() == 2);
}

TEST_CASE("with max_delay zero a batch leaves as soon as a replica is idle",
          "[pool][actors]") {
  pool_fixture fx{batching(8, 0ms)};
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("one"));
  REQUIRE(log->batches.size() == 1);
  fx.submit(job("two"));
  fx.submit(job("three"));
  CHECK(log->batches.size() == 1); // busy: the queue grows
  fx.answer(r);
  REQUIRE(log->batches.size() == 2);
  CHECK(log->batches[1] == std::vector<std::string>{"two", "three"});
}

TEST_CASE("a pool serves the interactive lane first, each lane in order",
          "[pool][actors]") {
  pool_fixture fx{batching(2, 0ms)};
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("first"));
  fx.submit(job("bg1", lane::background));
  fx.submit(job("ia1"));
  fx.submit(job("bg2", lane::background));
  fx.submit(job("ia2"));
  fx.answer(r);
  fx.answer(r);
  fx.answer(r);
  REQUIRE(log->batches.size() == 3);
  CHECK(log->batches[1] == std::vector<std::string>{"ia1", "ia2"});
  CHECK(log->batches[2] == std::vector<std::string>{"bg1", "bg2"});
}

TEST_CASE("a batch whose replica is lost is retried once, then "
          "MODEL_UNAVAILABLE",
          "[pool][actors]") {
  pool_fixture fx{batching(4, 0ms)};
  auto first_log = std::make_shared<replica_log>();
  auto first = fx.replica("a", first_log);
  fx.submit(job("x"));
  REQUIRE(first_log->batches.size() == 1);
  caf::anon_send_exit(first, caf::exit_reason::kill);
  fx.ds.run();
  CHECK(fx.answers->answers.empty()); // requeued, waiting for a replica
  CHECK(fx.status().queued == 1);

  auto second_log = std::make_shared<replica_log>();
  auto second = fx.replica("b", second_log);
  REQUIRE(second_log->batches.size() == 1);
  CHECK(second_log->batches[0] == std::vector<std::string>{"x"});
  caf::anon_send_exit(second, caf::exit_reason::kill);
  fx.ds.run();
  CHECK(fx.answers->answers
        == std::vector<std::string>{"error:MODEL_UNAVAILABLE"});

  // A job that arrives later is served by the next replica.
  auto third_log = std::make_shared<replica_log>();
  auto third = fx.replica("c", third_log);
  fx.submit(job("y"));
  fx.answer(third);
  CHECK(fx.answers->answers.back() == "y@c");
  CHECK(fx.answers->answers.size() == 2);
}

TEST_CASE("an unavailable model answers its queue and every new job",
          "[pool][actors]") {
  pool_fixture fx{batching(4, 0ms)};
  fx.submit(job("queued 1"));
  fx.submit(job("queued 2"));
  CHECK(fx.answers->answers.empty()); // no replica yet: they wait
  caf::anon_send(fx.pool, unavailable_atom::value,
                 make_error(error_code::model_unavailable, "failed to load"));
  fx.ds.run();
  CHECK(fx.answers->answers
        == std::vector<std::string>{"error:MODEL_UNAVAILABLE",
                                    "error:MODEL_UNAVAILABLE"});
  fx.submit(job("later"));
  CHECK(fx.answers->answers.size() == 3);
  CHECK(fx.answers->answers.back() == "error:MODEL_UNAVAILABLE");
  CHECK(fx.status().unavailable);

  // A replica that loads after all clears it.
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  CHECK_FALSE(fx.status().unavailable);
  fx.submit(job("now"));
  fx.answer(r);
  CHECK(fx.answers->answers.back() == "now@a");
}

TEST_CASE("a full pool answers OVERLOADED and keeps the queue it has",
          "[pool][actors]") {
  pool_fixture fx{batching(1, 0ms, /*capacity=*/2)};
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("busy"));
  fx.submit(job("q1"));
  fx.submit(job("q2"));
  fx.submit(job("refused"));
  CHECK(fx.answers->answers == std::vector<std::string>{"error:OVERLOADED"});
  fx.answer(r);
  fx.answer(r);
  fx.answer(r);
  CHECK(fx.answers->answers
        == std::vector<std::string>{"error:OVERLOADED", "busy@a", "q1@a",
                                    "q2@a"});
}

TEST_CASE("a pool prefers the replica idle longest and honours each "
          "replica's max_batch",
          "[pool][actors]") {
  pool_fixture fx{batching(2, 0ms)};
  auto small_log = std::make_shared<replica_log>();
  auto big_log = std::make_shared<replica_log>();
  auto small = fx.replica("small", small_log);
  auto big = fx.replica("big", big_log, /*max_batch=*/6);
  fx.submit(job("1")); // goes to the first idle replica
  REQUIRE(small_log->batches.size() == 1);
  for (int i = 2; i <= 8; ++i)
    fx.submit(job(std::to_string(i)));
  // "big" was idle: it took the second job alone, the rest queued.
  REQUIRE(big_log->batches.size() == 1);
  fx.answer(small); // small is idle again and takes its max of 2
  REQUIRE(small_log->batches.size() == 2);
  CHECK(small_log->batches[1].size() == 2);
  fx.answer(big); // big takes the remaining 4 in one batch (its max is 6)
  REQUIRE(big_log->batches.size() == 2);
  CHECK(big_log->batches[1].size() == 4);

  auto status = fx.status();
  REQUIRE(status.replicas.size() == 2);
  CHECK(status.replicas[0].node == "small");
  CHECK(status.replicas[0].max_batch == 2);
  CHECK(status.replicas[1].node == "big");
  CHECK(status.replicas[1].max_batch == 6);
  CHECK(status.in_flight == 6);
  CHECK(status.queued == 0);

  // After both answer, the next job goes to the replica idle longest: small
  // answered first.
  fx.answer(small);
  fx.answer(big);
  fx.submit(job("next"));
  CHECK(small_log->batches.size() == 3);
  CHECK(big_log->batches.size() == 2);
}

TEST_CASE("a draining pool refuses new jobs and answers once its queue is "
          "empty",
          "[pool][actors]") {
  pool_fixture fx{batching(1, 0ms)};
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("running"));
  fx.submit(job("queued"));
  auto drained = std::make_shared<bool>(false);
  fx.ds.sys().spawn([&, drained](caf::event_based_actor* self) {
    self->request(fx.pool, caf::infinite, drain_atom::value)
        .then([drained](done_atom) { *drained = true; });
  });
  fx.ds.run();
  CHECK_FALSE(*drained);
  CHECK(fx.status().draining);
  fx.submit(job("too late"));
  CHECK(fx.answers->answers
        == std::vector<std::string>{"error:MODEL_UNAVAILABLE"});
  fx.answer(r);
  CHECK_FALSE(*drained);
  fx.answer(r);
  CHECK(*drained);
  CHECK(fx.answers->answers
        == std::vector<std::string>{"error:MODEL_UNAVAILABLE", "running@a",
                                    "queued@a"});
}

TEST_CASE("a speech pool hands one window at a time", "[pool][actors]") {
  deterministic_system ds;
  pool_config config;
  config.model_name = "asr";
  config.max_batch = 8; // ignored: speech takes one job at a time
  auto pool = spawn_pool(ds.sys(), model_task::transcription, config);
  auto seen = std::make_shared<std::vector<uint32_t>>();
  auto pending = std::make_shared<
      std::deque<caf::typed_response_promise<transcription>>>();
  auto replica =
      ds.sys().spawn([=](caf::event_based_actor* self) -> caf::behavior {
        return {
            [=](infer_atom, audio_window& w) {
              seen->push_back(w.offset_ms);
              auto promise = self->make_response_promise<transcription>();
              pending->push_back(promise);
              return promise;
            },
            [=](done_atom) {
              transcription t;
              t.text = "window";
              pending->front().deliver(t);
              pending->pop_front();
            },
        };
      });
  replica_info who;
  who.model = "asr";
  who.task = model_task::transcription;
  who.node = "a";
  caf::anon_send(pool, ready_atom::value, who,
                 caf::actor_cast<replica_actor>(replica));
  auto texts = std::make_shared<std::vector<std::string>>();
  auto client = ds.sys().spawn([=](caf::event_based_actor* self) {
    for (uint32_t offset : {0u, 30000u, 60000u}) {
      audio_window w;
      w.offset_ms = offset;
      self->request(pool, caf::infinite, transcribe_atom::value, w)
          .then([=](transcription& t) { texts->push_back(t.text); });
    }
  });
  ds.run();
  CHECK(*seen == std::vector<uint32_t>{0});
  caf::anon_send(replica, done_atom::value);
  ds.run();
  CHECK(*seen == std::vector<uint32_t>{0, 30000});
  caf::anon_send(replica, done_atom::value);
  ds.run();
  caf::anon_send(replica, done_atom::value);
  ds.run();
  CHECK(*seen == std::vector<uint32_t>{0, 30000, 60000});
  CHECK(texts->size() == 3);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(replica, caf::exit_reason::user_shutdown);
}

TEST_CASE("a pool refuses a replica announced for another task",
          "[pool][actors]") {
  pool_fixture fx{batching(1, 0ms)};
  auto log = std::make_shared<replica_log>();
  auto r = spawn_held_replica(fx.ds.sys(), "a", log);
  auto wrong = replica_of_m("a");
  wrong.task = model_task::synthesis;
  caf::anon_send(fx.pool, ready_atom::value, wrong,
                 caf::actor_cast<replica_actor>(r));
  fx.ds.run();
  CHECK(fx.status().replicas.empty());
  caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
}

TEST_CASE("a pool refuses a job of another task by name, and keeps serving "
          "its own",
          "[pool][actors]") {
  pool_fixture fx{batching(1, 0ms)};
  auto spoken = std::make_shared<std::vector<std::string>>();
  fx.ds.sys().spawn([=, pool = fx.pool](caf::event_based_actor* self) {
    audio_window window;
    self->request(pool, caf::infinite, transcribe_atom::value, window)
        .then([=](transcription&) { spoken->push_back("answered"); },
              [=](caf::error& err) {
                spoken->push_back(to_string(code_of(err)) + ": "
                                  + explanation_of(err));
              });
  });
  fx.ds.run();
  REQUIRE(spoken->size() == 1);
  CHECK(spoken->front()
        == "INVALID_REQUEST: model m does translation, not transcription");
  auto log = std::make_shared<replica_log>();
  auto r = fx.replica("a", log);
  fx.submit(job("hello"));
  CHECK(log->batches == std::vector<std::vector<std::string>>{{"hello"}});
  fx.answer(r);
  CHECK(fx.answers->answers == std::vector<std::string>{"hello@a"});
  caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
}

TEST_CASE("a pool with telemetry reports each batch's size and each job's "
          "time in the queue",
          "[pool][actors][telemetry]") {
  deterministic_system ds;
  auto telemetry = spawn_telemetry(ds.sys());
  auto config = batching(8, 10ms);
  config.model_name = "m";
  config.telemetry = telemetry;
  auto pool = spawn_pool(ds.sys(), model_task::translation, config);
  auto answers = std::make_shared<client_log>();
  auto client = spawn_client(ds.sys(), pool, answers);
  auto log = std::make_shared<replica_log>();
  auto replica = spawn_held_replica(ds.sys(), "a", log);
  caf::anon_send(pool, ready_atom::value, replica_of_m("a"),
                 caf::actor_cast<replica_actor>(replica));
  caf::anon_send(client, job("one"));
  ds.run();
  ds.advance(4ms);
  caf::anon_send(client, job("two"));
  ds.run();
  ds.advance(6ms); // the oldest waited max_delay: the batch leaves
  REQUIRE(log->batches.size() == 1);
  caf::anon_send(replica, done_atom::value);
  ds.run();
  REQUIRE(answers->answers.size() == 2);
  auto counters = stats_of(ds, telemetry);
  CHECK(counters.values["model_batch_size_count{model=\"m\"}"] == 1);
  CHECK(counters.values["model_batch_size_sum{model=\"m\"}"] == 2);
  CHECK(counters.values["model_queue_seconds_count{model=\"m\"}"] == 2);
  CHECK(counters.values["model_queue_seconds_sum{model=\"m\"}"]
        == Approx(0.016));
  for (const auto& actor : {client, replica})
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(telemetry, caf::exit_reason::user_shutdown);
}
