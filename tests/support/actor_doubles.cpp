#include "tests/support/actor_doubles.hpp"

#include <deque>
#include <functional>
#include <utility>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>

#include "actors/cache.hpp"

namespace parley::test {

namespace {

/// Requests a double holds, oldest first: each knows its own answer.
struct held_requests {
  struct entry {
    caf::response_promise promise;
    std::function<void(caf::response_promise&)> answer;
  };
  std::deque<entry> entries;

  template <class Answer>
  caf::response_promise hold(caf::event_based_actor* self, Answer answer) {
    auto promise = self->make_response_promise();
    entries.push_back({promise, std::move(answer)});
    return promise;
  }

  void answer() {
    if (entries.empty())
      FAIL("told to answer, but holds nothing");
    auto next = std::move(entries.front());
    entries.pop_front();
    next.answer(next.promise);
  }

  void fail(const caf::error& reason) {
    if (entries.empty())
      FAIL("told to fail, but holds nothing");
    auto next = std::move(entries.front());
    entries.pop_front();
    next.promise.deliver(reason);
  }
};

job_output output_of(const translation_job& job) {
  return {translated_text(job), {job.source_lang, job.target_lang}, {}};
}

} // namespace

std::string translated_text(const translation_job& job) {
  return job.target_lang + ":" + job.text;
}

caf::actor spawn_held_pool(caf::actor_system& sys,
                           std::shared_ptr<ordered_log> jobs) {
  auto held = std::make_shared<held_requests>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](infer_atom, translation_job& job) -> caf::result<job_result> {
          jobs->push(job);
          return held->hold(self, [job](caf::response_promise& promise) {
            auto out = output_of(job);
            promise.deliver(job_result{out.text, out.route, 0, 0});
          });
        },
        [=](transcribe_atom,
            audio_window& window) -> caf::result<transcription> {
          jobs->push(window);
          return held->hold(self, [](caf::response_promise& promise) {
            transcription heard;
            heard.text = heard_text;
            heard.language = "en";
            heard.confidence = 1;
            heard.model = "held";
            promise.deliver(std::move(heard));
          });
        },
        [=](synthesize_atom,
            synthesize_request& request) -> caf::result<synthesis> {
          jobs->push(request);
          return held->hold(self, [request](caf::response_promise& promise) {
            promise.deliver(synthesis{request.id, request.language, 16000,
                                      std::vector<int16_t>(100)});
          });
        },
        [=](answer_atom) { held->answer(); },
        [=](answer_atom, const caf::error& reason) { held->fail(reason); },
    };
  });
}

caf::actor spawn_held_replica(caf::actor_system& sys, replica_info info,
                              pool_actor pool, supervisor_actor supervisor,
                              std::shared_ptr<ordered_log> batches,
                              bool loads) {
  auto held = std::make_shared<held_requests>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    if (!loads) {
      self->quit(make_error(error_code::model_unavailable,
                            "the replica's double does not load"));
      return {};
    }
    self->send(supervisor, ready_atom::value, info);
    self->send(pool, ready_atom::value, info,
               caf::actor_cast<replica_actor>(self));
    return {
        [=](infer_atom, translation_batch& batch) -> caf::result<batch_output> {
          batches->push(batch);
          return held->hold(self, [batch](caf::response_promise& promise) {
            batch_output out;
            for (const auto& job : batch.jobs)
              out.outputs.push_back(output_of(job));
            promise.deliver(std::move(out));
          });
        },
        [=](answer_atom) { held->answer(); },
        [=](die_atom) {
          self->quit(make_error(error_code::model_unavailable,
                                "the replica's double was told to die"));
        },
    };
  });
}

replica_info replica_of_m(std::string node, uint32_t max_batch) {
  replica_info info;
  info.model = "m";
  info.kind = "held";
  info.task = model_task::translation;
  info.node = std::move(node);
  info.max_batch = max_batch;
  return info;
}

caf::actor spawn_client(caf::actor_system& sys, router_actor router,
                        std::shared_ptr<ordered_log> events) {
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](translate_request& request) {
          self->send(router, std::move(request),
                     caf::actor_cast<translation_sink>(self));
        },
        [=](audio_request& request) {
          self->send(router, std::move(request),
                     caf::actor_cast<audio_sink>(self));
        },
        [=](shutdown_atom, caf::timespan drain) {
          self->request(router, caf::infinite, shutdown_atom::value, drain)
              .then([=](done_atom) { events->push(done_atom::value); });
        },
        [=](ping_atom) { events->push(ping_atom::value); },
        [=](translation& x) { events->push(std::move(x)); },
        [=](translation_failure& x) { events->push(std::move(x)); },
        [=](translation_done& x) { events->push(x); },
        [=](audio_progress& x) { events->push(x); },
        [=](audio_transcribed& x) { events->push(std::move(x)); },
        [=](audio_translated& x) { events->push(std::move(x)); },
        [=](audio_done& x) { events->push(std::move(x)); },
    };
  });
}

caf::actor spawn_codec_double(caf::actor_system& sys, uint32_t decoded_ms) {
  return sys.spawn([=](caf::event_based_actor*) -> caf::behavior {
    return {
        [=](decode_atom, const std::string&) {
          return decoded_speech{std::vector<float>(16 * decoded_ms), "wav",
                                decoded_ms};
        },
        [=](encode_atom, const synthesis& spoken, const std::string& format) {
          return encoded_speech{"speech-" + spoken.language, "audio/" + format,
                                100};
        },
    };
  });
}

translation_job expect_job(ordered_log& jobs, const std::string& target,
                           const std::string& text) {
  return jobs.expect_next<translation_job>(
      "the job \"" + text + "\" into " + target,
      [&](const translation_job& job) {
        return job.target_lang == target && job.text == text;
      });
}

void expect_batch(ordered_log& batches, const std::vector<std::string>& texts) {
  std::string listed;
  for (const auto& text : texts)
    listed += (listed.empty() ? "\"" : ", \"") + text + "\"";
  batches.expect_next<translation_batch>("a batch of [" + listed + "]",
                                         [&](const translation_batch& batch) {
                                           std::vector<std::string> seen;
                                           for (const auto& job : batch.jobs)
                                             seen.push_back(job.text);
                                           return seen == texts;
                                         });
}

translation expect_translation(ordered_log& events, uint64_t id,
                               const std::string& lang) {
  return events.expect_next<translation>(
      "a translation of request " + std::to_string(id) + " into " + lang,
      [&](const translation& x) {
        return x.request_id == id && x.target_lang == lang;
      });
}

translation_failure expect_failure(ordered_log& events, uint64_t id,
                                   const std::string& lang, error_code code) {
  return events.expect_next<translation_failure>(
      "a failure " + std::string(to_string(code)) + " of request "
          + std::to_string(id) + " in '" + lang + "'",
      [&](const translation_failure& x) {
        return x.request_id == id && x.target_lang == lang
               && code_of(x.reason) == code;
      });
}

void expect_done(ordered_log& events, uint64_t id, uint32_t completed,
                 uint32_t failed) {
  events.expect_next<translation_done>(
      "the end of request " + std::to_string(id) + " with "
          + std::to_string(completed) + " completed and "
          + std::to_string(failed) + " failed",
      [&](const translation_done& x) {
        return x.request_id == id && x.completed == completed
               && x.failed == failed;
      });
}

void expect_atom(ordered_log& events, caf::atom_value what) {
  events.expect_next<caf::atom_value>(
      "the atom " + caf::to_string(what),
      [&](const caf::atom_value& x) { return x == what; });
}

caf::error expect_error(ordered_log& log, error_code code,
                        const std::string& naming) {
  return log.expect_next<caf::error>(
      "the error " + std::string(to_string(code)) + " naming \"" + naming
          + "\"",
      [&](const caf::error& err) {
        return code_of(err) == code
               && explanation_of(err).find(naming) != std::string::npos;
      });
}

router_world::router_world() {
  pool = spawn_held_pool(ds.sys(), jobs);
  cache = spawn_cache(ds.sys(), 100);
}

router_world::~router_world() {
  for (const auto& actor : {client, caf::actor_cast<caf::actor>(router), pool,
                            caf::actor_cast<caf::actor>(cache)})
    if (actor)
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

void router_world::start(router_setup setup) {
  if (setup.models.empty())
    setup.models["m"] = caf::actor_cast<pool_actor>(pool);
  if (setup.routes.empty())
    setup.routes["default"] = setup.models.begin()->first;
  if (!setup.cache)
    setup.cache = cache;
  if (setup.request_timeout.count() == 0)
    setup.request_timeout = std::chrono::hours(1);
  if (setup.audio_timeout.count() == 0)
    setup.audio_timeout = std::chrono::hours(1);
  router = spawn_router(ds.sys(), std::move(setup));
  client = spawn_client(ds.sys(), router, events);
  ds.run();
}

void router_world::answer() {
  caf::anon_send(pool, answer_atom::value);
}

void expect_timeout_after(router_world& world, caf::timespan timeout,
                          uint64_t id, const std::string& lang) {
  world.ds.advance(timeout - std::chrono::milliseconds(1));
  expect_nothing_before_ping(world);
  world.ds.advance(router_deadline_check);
  expect_failure(*world.events, id, lang, error_code::timeout);
  expect_done(*world.events, id, 0, 1);
  expect_nothing_before_ping(world);
}

pool_world::pool_world(size_t max_batch, size_t queue_capacity) {
  pool_config config;
  config.model_name = "m";
  config.max_batch = max_batch;
  config.queue_capacity = queue_capacity;
  model_pool = spawn_pool(ds.sys(), model_task::translation, config);
}

pool_world::~pool_world() {
  caf::anon_send_exit(model_pool, caf::exit_reason::user_shutdown);
}

void pool_world::start_with_pool() {
  router_setup setup{};
  setup.models["m"] = model_pool;
  start(setup);
}

double pool_world::pool_stat(const std::string& name) {
  return stats_of(ds, model_pool).values[name + "{model=\"m\"}"];
}

} // namespace parley::test
