#include "tests/support/tier_world.hpp"

#include <deque>
#include <utility>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "io/redis/redis_format.hpp"
#include "io/redis/redis_tier.hpp"

namespace parley::test {

namespace {

using answer_atom = caf::atom_constant<caf::atom("answer")>;

std::string render(const redis_commands& commands) {
  std::string line;
  for (const auto& argv : commands.argv) {
    if (!line.empty())
      line += " | ";
    for (size_t i = 0; i < argv.size(); ++i)
      line += (i == 0 ? "" : " ") + argv[i];
  }
  return line;
}

/// A connection double named `name`: logs each request and holds it until
/// told `answer`, oldest first.
caf::actor spawn_worker_double(caf::actor_system& sys, std::string name,
                               std::shared_ptr<ordered_log> log) {
  auto held = std::make_shared<std::deque<caf::response_promise>>();
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](run_atom, const redis_commands& commands) {
          log->push(name + ": " + render(commands));
          held->push_back(self->make_response_promise());
          return held->back();
        },
        [=](connect_atom) {
          log->push(name + ": connect");
          held->push_back(self->make_response_promise());
          return held->back();
        },
        [=](answer_atom, redis_replies& replies) {
          if (held->empty())
            FAIL(name << " was told to answer, but holds no request");
          auto oldest = std::move(held->front());
          held->pop_front();
          oldest.deliver(std::move(replies));
        },
    };
  });
}

/// Sends each key it gets to `tier` as a lookup and logs the answer; answers
/// `stats_atom` with "pong" once the tier answered it.
caf::actor spawn_client(caf::actor_system& sys, redis_tier_actor tier,
                        std::shared_ptr<ordered_log> log) {
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](tier_text_key& key) {
          self->request(tier, caf::infinite, lookup_atom::value, key)
              .then([=](tier_text_answer& answer) {
                log->push(key.text
                          + (answer.found ? ": hit " + answer.value.text
                                          : std::string{": miss"}));
              });
        },
        [=](stats_atom) {
          self->request(tier, caf::infinite, stats_atom::value)
              .then([=](metrics&) { log->push(std::string{"pong"}); });
        },
    };
  });
}

} // namespace

tier_world::tier_world(redis_tier_config config) : config(std::move(config)) {
  reader = spawn_worker_double(ds.sys(), "reader", log);
  writer = spawn_worker_double(ds.sys(), "writer", log);
  auto typed = spawn_redis_tier(ds.sys(), this->config,
                                caf::actor_cast<redis_worker_actor>(reader),
                                caf::actor_cast<redis_worker_actor>(writer));
  tier = caf::actor_cast<caf::actor>(typed);
  client = spawn_client(ds.sys(), typed, log);
  ds.run();
}

tier_world::~tier_world() {
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(tier, caf::exit_reason::user_shutdown);
}

void tier_world::connect() {
  expect("reader: connect");
  answer(reader, {});
  expect("writer: connect");
  answer(writer, {});
}

void tier_world::lookup(const std::string& text,
                        const std::string& model_type) {
  caf::anon_send(client, text_key(text, model_type));
  ds.run();
}

void tier_world::store(const std::string& text, const std::string& translated,
                       const std::string& model_type) {
  caf::anon_send(tier, store_atom::value, text_key(text, model_type),
                 cached_text{translated, {}});
  ds.run();
}

void tier_world::abandon(const std::string& text,
                         const std::string& model_type) {
  caf::anon_send(tier, abandon_atom::value, text_key(text, model_type));
  ds.run();
}

void tier_world::answer(const caf::actor& worker, redis_replies replies) {
  caf::anon_send(worker, answer_atom::value, std::move(replies));
  ds.run();
}

void tier_world::fail(const caf::actor& worker, const std::string& why) {
  redis_replies failed;
  failed.error = why;
  answer(worker, std::move(failed));
}

void tier_world::expect(const std::string& line) {
  log->expect_next<std::string>(
      '"' + line + '"', [&](const std::string& next) { return next == line; });
}

void tier_world::expect_get(const std::string& text,
                            const std::string& model_type) {
  expect("reader: GET " + key_name(text, model_type));
}

std::string tier_world::expect_starting(const std::string& prefix) {
  return log->expect_next<std::string>(
      "a line starting with \"" + prefix + '"',
      [&](const std::string& next) { return next.rfind(prefix, 0) == 0; });
}

void tier_world::expect_quiet() {
  caf::anon_send(client, stats_atom::value);
  ds.run();
  expect("pong");
  log->expect_nothing_more();
}

metrics tier_world::stats() {
  metrics result;
  auto typed = caf::actor_cast<redis_tier_actor>(tier);
  ds.sys().spawn([&](caf::event_based_actor* self) {
    self->request(typed, caf::infinite, stats_atom::value)
        .then([&](metrics& m) { result = std::move(m); });
  });
  ds.run();
  return result;
}

tier_text_key text_key(const std::string& text, const std::string& model_type) {
  return tier_text_key{model_type, "en", "es", text};
}

std::string key_name(const std::string& text, const std::string& model_type) {
  return text_key_name(text_hash(text_key(text, model_type)));
}

redis_reply nil_reply() {
  return {};
}

redis_reply status_reply(const std::string& status) {
  return {redis_reply_kind::status, status, 0};
}

redis_reply integer_reply(int64_t n) {
  return {redis_reply_kind::integer, {}, n};
}

redis_reply text_reply(const std::string& text, const std::string& translated,
                       const std::string& model_type) {
  auto key = text_key(text, model_type);
  auto hash = text_hash(key);
  return {redis_reply_kind::text,
          encode_text_value(key, translated, hash, "2026-11-01T10:00:00.5"), 0};
}

redis_replies replies(std::vector<redis_reply> each) {
  redis_replies result;
  result.replies = std::move(each);
  return result;
}

} // namespace parley::test
