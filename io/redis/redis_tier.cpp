#include "io/redis/redis_tier.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <spdlog/spdlog.h>

#include "io/redis/redis_client.hpp"
#include "io/redis/redis_format.hpp"
#include "io/redis/redis_worker.hpp"
#include "messages/audio_cache.hpp"
#include "messages/cache.hpp"
#include "messages/metrics.hpp"
#include "messages/redis.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto first_backoff = 100ms;
/// Lookups per pipeline; more wait for the next round trip.
constexpr size_t max_batch_ops = 256;
constexpr double latency_buckets[] = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.05};

/// Called once per lookup with its replies, or nullptr when Redis did not
/// answer in time or is down.
using reply_handler = std::function<void(const std::vector<redis_reply>*)>;

struct read_op {
  std::vector<std::vector<std::string>> commands;
  reply_handler done;
  clock_type::time_point submitted;
  bool answered = false;
  bool dispatched = false;
};

/// A lookup whose key another front has claimed: it polls for the value.
struct lock_waiter {
  std::string key;
  clock_type::time_point give_up;
  std::function<void(std::optional<cached_text>)> done;
  tier_text_key text_key;
};

struct tier_state {
  redis_tier_config cfg;
  std::string where;
  redis_worker_actor reader;
  redis_worker_actor writer;
  bool up = false;
  /// Logged that Redis is unusable; cleared once it is back.
  bool warned = false;
  bool reader_busy = false;
  /// The reader holds a pipeline past its deadline: Redis is slow, so new
  /// lookups are misses at once instead of queueing behind it.
  bool reader_overdue = false;
  bool writer_busy = false;
  std::chrono::milliseconds backoff = first_backoff;
  uint64_t next_id = 1;
  std::unordered_map<uint64_t, read_op> reads;
  std::deque<uint64_t> read_queue;
  std::deque<std::vector<std::string>> write_queue;
  std::unordered_map<uint64_t, lock_waiter> waiters;
  std::unordered_set<std::string> held_locks;
  std::string lock_token;
  metrics counters;
  double latency_sum = 0;
  uint64_t latency_count = 0;
  uint64_t latency_bucket[std::size(latency_buckets)] = {};

  static inline const char* name = "redis_tier";
};

using tier_pointer = caf::stateful_actor<tier_state>*;

void count(tier_state& st, const std::string& name, double n = 1) {
  st.counters.values[name] += n;
}

std::string kind_label(const char* kind) {
  return std::string{"{kind=\""} + kind + "\"}";
}

void record_latency(tier_state& st, clock_type::duration elapsed) {
  auto seconds = std::chrono::duration<double>(elapsed).count();
  st.latency_sum += seconds;
  ++st.latency_count;
  for (size_t i = 0; i < std::size(latency_buckets); ++i)
    if (seconds <= latency_buckets[i])
      ++st.latency_bucket[i];
}

void probe(tier_pointer self);

void answer(tier_state& st, read_op& op,
            const std::vector<redis_reply>* replies) {
  if (op.answered)
    return;
  op.answered = true;
  if (replies != nullptr)
    record_latency(st, clock_type::now() - op.submitted);
  op.done(replies);
}

void warn_once(tier_state& st, const std::string& why) {
  if (st.warned)
    return;
  st.warned = true;
  spdlog::warn("redis: {} at {}; serving from the local cache and the models "
               "until it is back",
               why, st.where);
}

void go_down(tier_pointer self, const std::string& why) {
  auto& st = self->state;
  count(st, "redis_errors_total");
  if (!st.up)
    return;
  st.up = false;
  warn_once(st, why);
  st.backoff = first_backoff;
  self->delayed_send(self, st.backoff, probe_atom::value);
  // Lookups still queued are misses now, not at their deadline.
  std::vector<read_op> queued;
  for (auto id : st.read_queue) {
    auto entry = st.reads.find(id);
    if (entry == st.reads.end() || entry->second.dispatched)
      continue;
    queued.push_back(std::move(entry->second));
    st.reads.erase(entry);
  }
  st.read_queue.clear();
  for (auto& op : queued) {
    if (!op.answered)
      count(st, "redis_unavailable_total");
    answer(st, op, nullptr);
  }
}

void dispatch_reads(tier_pointer self) {
  auto& st = self->state;
  if (st.reader_busy || !st.up)
    return;
  redis_commands batch;
  std::vector<std::pair<uint64_t, size_t>> members;
  while (!st.read_queue.empty() && members.size() < max_batch_ops) {
    auto id = st.read_queue.front();
    st.read_queue.pop_front();
    auto op = st.reads.find(id);
    if (op == st.reads.end())
      continue;
    if (op->second.answered) {
      st.reads.erase(op);
      continue;
    }
    op->second.dispatched = true;
    members.emplace_back(id, op->second.commands.size());
    for (auto& command : op->second.commands)
      batch.argv.push_back(std::move(command));
  }
  if (members.empty())
    return;
  st.reader_busy = true;
  auto settle = [self, members](const redis_replies* result) {
    auto& st = self->state;
    st.reader_busy = false;
    st.reader_overdue = false;
    auto failed = result == nullptr || !result->error.empty();
    // Down first, so that lookups submitted while answering fail at once.
    if (failed)
      go_down(self, result == nullptr ? "the connection actor failed"
                                      : result->error);
    size_t offset = 0;
    for (auto [id, size] : members) {
      auto first = offset;
      offset += size;
      auto entry = st.reads.find(id);
      if (entry == st.reads.end())
        continue;
      // Out of the map first: answering may submit more lookups.
      auto op = std::move(entry->second);
      st.reads.erase(entry);
      if (failed || result->replies.size() < first + size) {
        answer(st, op, nullptr);
      } else {
        std::vector<redis_reply> mine(result->replies.begin() + first,
                                      result->replies.begin() + first + size);
        answer(st, op, &mine);
      }
    }
    dispatch_reads(self);
  };
  self->request(st.reader, caf::infinite, run_atom::value, std::move(batch))
      .then([settle](redis_replies& result) { settle(&result); },
            [settle](caf::error&) { settle(nullptr); });
}

/// Sends `commands` on the lookup connection; `done` runs once.
void submit_read(tier_pointer self,
                 std::vector<std::vector<std::string>> commands,
                 reply_handler done) {
  auto& st = self->state;
  if (!st.up || st.reader_overdue) {
    count(st, st.up ? "redis_timeouts_total" : "redis_unavailable_total");
    done(nullptr);
    return;
  }
  auto id = st.next_id++;
  st.reads.emplace(
      id, read_op{std::move(commands), std::move(done), clock_type::now()});
  st.read_queue.push_back(id);
  self->delayed_send(self, st.cfg.timeout, deadline_atom::value, id);
  dispatch_reads(self);
}

void on_deadline(tier_pointer self, uint64_t id) {
  auto& st = self->state;
  auto op = st.reads.find(id);
  if (op == st.reads.end() || op->second.answered)
    return;
  count(st, "redis_timeouts_total");
  if (op->second.dispatched) {
    // The pipeline's return erases it.
    st.reader_overdue = true;
    answer(st, op->second, nullptr);
    return;
  }
  auto queued = std::move(op->second);
  st.reads.erase(op);
  answer(st, queued, nullptr);
}

void dispatch_writes(tier_pointer self) {
  auto& st = self->state;
  if (st.writer_busy || st.write_queue.empty() || !st.up)
    return;
  redis_commands batch;
  while (!st.write_queue.empty() && batch.argv.size() < max_batch_ops) {
    batch.argv.push_back(std::move(st.write_queue.front()));
    st.write_queue.pop_front();
  }
  st.writer_busy = true;
  auto sent = batch.argv.size();
  auto settle = [self, sent](const redis_replies* result) {
    auto& st = self->state;
    st.writer_busy = false;
    if (result == nullptr || !result->error.empty()) {
      count(st, "redis_writes_dropped_total", sent);
      go_down(self, result == nullptr ? "the connection actor failed"
                                      : result->error);
      return;
    }
    for (const auto& reply : result->replies)
      count(st, reply.kind == redis_reply_kind::error ? "redis_errors_total"
                                                      : "redis_writes_total");
    dispatch_writes(self);
  };
  self->request(st.writer, caf::infinite, run_atom::value, std::move(batch))
      .then([settle](redis_replies& result) { settle(&result); },
            [settle](caf::error&) { settle(nullptr); });
}

void submit_write(tier_pointer self, std::vector<std::string> command) {
  auto& st = self->state;
  if (!st.up || st.write_queue.size() >= st.cfg.max_pending_writes) {
    count(st, "redis_writes_dropped_total");
    return;
  }
  st.write_queue.push_back(std::move(command));
  dispatch_writes(self);
}

void probe(tier_pointer self) {
  auto& st = self->state;
  auto retry = [self](const std::string& why) {
    auto& st = self->state;
    count(st, "redis_errors_total");
    warn_once(st, "cannot connect (" + why + ")");
    st.backoff = std::min(st.backoff * 2, st.cfg.max_backoff);
    self->delayed_send(self, st.backoff, probe_atom::value);
  };
  auto connected = [self] {
    auto& st = self->state;
    st.up = true;
    st.reader_overdue = false;
    st.backoff = first_backoff;
    st.warned = false;
    spdlog::info("redis: connected to {}", st.where);
    dispatch_writes(self);
  };
  self->request(st.reader, caf::infinite, connect_atom::value)
      .then(
          [self, retry, connected](redis_replies& result) {
            if (!result.error.empty())
              return retry(result.error);
            self->request(self->state.writer, caf::infinite,
                          connect_atom::value)
                .then(
                    [retry, connected](redis_replies& result) {
                      if (result.error.empty())
                        connected();
                      else
                        retry(result.error);
                    },
                    [retry](caf::error& err) { retry(caf::to_string(err)); });
          },
          [retry](caf::error& err) { retry(caf::to_string(err)); });
}

std::string prefixed(const tier_state& st, const std::string& key) {
  return st.cfg.key_prefix + key;
}

std::string lock_name(const tier_state& st, const std::string& key) {
  return st.cfg.key_prefix
         + "parley:lock:" + key.substr(st.cfg.key_prefix.size());
}

/// Decodes the first reply that holds a translation. Corrupt values are
/// counted by the first lookup only; the lock's re-reads see them again.
std::optional<cached_text>
first_text(tier_state& st, const std::vector<redis_reply>& replies, size_t from,
           size_t to, const tier_text_key& key, size_t* which = nullptr,
           bool count_corrupt = false) {
  for (size_t i = from; i < to && i < replies.size(); ++i) {
    if (replies[i].kind != redis_reply_kind::text)
      continue;
    if (auto value = decode_text_value(replies[i].text, key)) {
      if (which != nullptr)
        *which = i;
      return value;
    }
    if (count_corrupt)
      count(st, "redis_corrupt_total");
  }
  return std::nullopt;
}

void poll_claimed(tier_pointer self, uint64_t id) {
  auto& st = self->state;
  auto waiter = st.waiters.find(id);
  if (waiter == st.waiters.end())
    return;
  submit_read(
      self, {{"GET", waiter->second.key}},
      [self, id](const std::vector<redis_reply>* replies) {
        auto& st = self->state;
        auto waiter = st.waiters.find(id);
        if (waiter == st.waiters.end())
          return;
        std::optional<cached_text> value;
        if (replies != nullptr)
          value = first_text(st, *replies, 0, 1, waiter->second.text_key);
        auto expired = clock_type::now() >= waiter->second.give_up;
        if (!value && replies != nullptr && !expired) {
          self->delayed_send(self, st.cfg.lock_poll, poll_atom::value, id);
          return;
        }
        count(st, value ? "redis_lock_wait_hits_total"
                        : "redis_lock_wait_expired_total");
        auto done = std::move(waiter->second.done);
        st.waiters.erase(waiter);
        done(std::move(value));
      });
}

/// Drops a lock only while it still holds this front's token: a lock that
/// expired and was claimed by another front since stays theirs.
constexpr const char* release_script =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('DEL', KEYS[1]) else return 0 end";

void drop_lock(tier_pointer self, const std::string& lock) {
  submit_write(self,
               {"EVAL", release_script, "1", lock, self->state.lock_token});
}

/// A miss: claim the key so other fronts wait for this one, or wait for
/// the front that claimed it.
void claim(tier_pointer self, const tier_text_key& key, const std::string& name,
           std::function<void(std::optional<cached_text>)> done) {
  auto& st = self->state;
  auto lock = lock_name(st, name);
  // The GET after the SET catches a value written between the first lookup
  // and the claim: the owner writes the value before it drops the lock.
  submit_read(
      self,
      {{"SET", lock, st.lock_token, "NX", "PX",
        std::to_string(st.cfg.lock_ttl.count())},
       {"GET", name}},
      [self, key, name, lock, done](const std::vector<redis_reply>* replies) {
        auto& st = self->state;
        if (replies == nullptr || replies->size() < 2)
          return done(std::nullopt);
        auto acquired = (*replies)[0].kind == redis_reply_kind::status;
        if (auto value = first_text(st, *replies, 1, 2, key)) {
          if (acquired)
            drop_lock(self, lock);
          return done(std::move(value));
        }
        if (acquired) {
          count(st, "redis_locks_total");
          st.held_locks.insert(lock);
          return done(std::nullopt);
        }
        count(st, "redis_lock_waits_total");
        auto id = st.next_id++;
        st.waiters.emplace(
            id,
            lock_waiter{name, clock_type::now() + st.cfg.lock_wait, done, key});
        self->delayed_send(self, st.cfg.lock_poll, poll_atom::value, id);
      });
}

tier_text_key with_default_type(tier_text_key key) {
  if (key.model_type.empty())
    key.model_type = default_model_type;
  return key;
}

void release(tier_pointer self, const std::string& name) {
  auto& st = self->state;
  auto lock = lock_name(st, name);
  if (st.held_locks.erase(lock) > 0)
    drop_lock(self, lock);
}

caf::behavior tier_behavior(tier_pointer self) {
  return {
      [self](lookup_atom, tier_text_key& raw) {
        auto& st = self->state;
        auto key = with_default_type(std::move(raw));
        auto promise = self->make_response_promise<tier_text_answer>();
        auto name = prefixed(st, text_key_name(text_hash(key)));
        std::vector<std::vector<std::string>> commands{{"GET", name}};
        auto premium = premium_fallback_key_name(key);
        if (!premium.empty())
          commands.push_back({"GET", prefixed(st, premium)});
        auto deliver = [self,
                        promise](std::optional<cached_text> value) mutable {
          tier_text_answer reply;
          if (value) {
            reply.found = true;
            reply.value = std::move(*value);
          }
          promise.deliver(std::move(reply));
        };
        submit_read(self, std::move(commands),
                    [self, key, name,
                     deliver](const std::vector<redis_reply>* replies) mutable {
                      auto& st = self->state;
                      if (replies == nullptr)
                        return deliver(std::nullopt);
                      size_t which = 0;
                      if (auto value = first_text(st, *replies, 0, 2, key,
                                                  &which, true)) {
                        count(st, "redis_hits_total" + kind_label("text"));
                        if (which == 1)
                          count(st, "redis_premium_hits_total");
                        return deliver(std::move(value));
                      }
                      count(st, "redis_misses_total" + kind_label("text"));
                      if (st.cfg.lock_wait.count() <= 0)
                        return deliver(std::nullopt);
                      claim(self, key, name, deliver);
                    });
        return promise;
      },
      [self](store_atom, tier_text_key& raw, cached_text& value) {
        auto& st = self->state;
        auto key = with_default_type(std::move(raw));
        auto hash = text_hash(key);
        auto name = prefixed(st, text_key_name(hash));
        submit_write(self, {"SETEX", name, std::to_string(st.cfg.ttl_s),
                            encode_text_value(key, value.text, hash,
                                              python_isoformat_now())});
        release(self, name);
      },
      [self](abandon_atom, tier_text_key& raw) {
        auto& st = self->state;
        auto key = with_default_type(std::move(raw));
        release(self, prefixed(st, text_key_name(text_hash(key))));
      },
      [self](lookup_atom, const transcript_key& key) {
        auto& st = self->state;
        auto promise = self->make_response_promise<cached_transcript>();
        submit_read(
            self, {{"GET", prefixed(st, transcript_key_name(key))}},
            [self, promise](const std::vector<redis_reply>* replies) mutable {
              auto& st = self->state;
              cached_transcript reply;
              if (replies != nullptr && !replies->empty()
                  && (*replies)[0].kind == redis_reply_kind::text) {
                if (auto heard = decode_transcript_value((*replies)[0].text)) {
                  reply.found = true;
                  reply.value = std::move(*heard);
                } else {
                  count(st, "redis_corrupt_total");
                }
              }
              if (replies != nullptr)
                count(st,
                      (reply.found ? "redis_hits_total" : "redis_misses_total")
                          + kind_label("transcription"));
              promise.deliver(std::move(reply));
            });
        return promise;
      },
      [self](store_atom, const transcript_key& key,
             const transcription& heard) {
        auto& st = self->state;
        submit_write(self, {"SETEX", prefixed(st, transcript_key_name(key)),
                            std::to_string(st.cfg.audio_ttl_s),
                            encode_transcript_value(heard)});
      },
      [self](lookup_atom, const speech_key& key) {
        auto& st = self->state;
        auto promise = self->make_response_promise<cached_speech>();
        submit_read(
            self, {{"GET", prefixed(st, speech_key_name(key))}},
            [self, promise](const std::vector<redis_reply>* replies) mutable {
              auto& st = self->state;
              cached_speech reply;
              if (replies != nullptr && !replies->empty()
                  && (*replies)[0].kind == redis_reply_kind::text) {
                if (auto spoken = decode_speech_value((*replies)[0].text))
                  reply = std::move(*spoken);
                else
                  count(st, "redis_corrupt_total");
              }
              if (replies != nullptr)
                count(st,
                      (reply.found ? "redis_hits_total" : "redis_misses_total")
                          + kind_label("speech"));
              promise.deliver(std::move(reply));
            });
        return promise;
      },
      [self](store_atom, const speech_key& key, const cached_speech& spoken) {
        auto& st = self->state;
        submit_write(self,
                     {"SETEX", prefixed(st, speech_key_name(key)),
                      std::to_string(st.cfg.audio_ttl_s),
                      encode_speech_value(spoken, python_isoformat_now())});
      },
      [self](deadline_atom, uint64_t id) { on_deadline(self, id); },
      [self](poll_atom, uint64_t id) { poll_claimed(self, id); },
      [self](probe_atom) { probe(self); },
      [self](stats_atom) {
        auto& st = self->state;
        auto result = st.counters;
        result.values["redis_up"] = st.up ? 1 : 0;
        result.values["redis_lookup_seconds_sum"] = st.latency_sum;
        result.values["redis_lookup_seconds_count"] =
            static_cast<double>(st.latency_count);
        for (size_t i = 0; i < std::size(latency_buckets); ++i) {
          char label[48];
          std::snprintf(label, sizeof(label), "{le=\"%g\"}",
                        latency_buckets[i]);
          result.values[std::string{"redis_lookup_seconds_bucket"} + label] =
              static_cast<double>(st.latency_bucket[i]);
        }
        result.values["redis_lookup_seconds_bucket{le=\"+Inf\"}"] =
            static_cast<double>(st.latency_count);
        result.values["redis_pending_writes"] =
            static_cast<double>(st.write_queue.size());
        return result;
      },
  };
}

std::string describe(const redis_endpoint& endpoint) {
  if (!endpoint.unix_path.empty())
    return endpoint.unix_path;
  return endpoint.host + ":" + std::to_string(endpoint.port) + "/"
         + std::to_string(endpoint.database);
}

} // namespace

redis_tier_actor spawn_redis_tier(caf::actor_system& sys,
                                  redis_tier_config config) {
  auto endpoint = parse_redis_url(config.url);
  if (!config.password.empty())
    endpoint.password = config.password;
  if (config.database)
    endpoint.database = *config.database;
  auto io_timeout = std::max(config.timeout, std::chrono::milliseconds{1});
  auto reader =
      spawn_redis_worker(sys, endpoint, config.connect_timeout, io_timeout);
  // Writes are never waited for: give them more time than lookups.
  auto writer =
      spawn_redis_worker(sys, endpoint, config.connect_timeout,
                         std::max(io_timeout, config.connect_timeout));
  std::random_device entropy;
  auto token = std::to_string(entropy()) + "-" + std::to_string(entropy());
  auto where = describe(endpoint);
  auto actor = sys.spawn([=](caf::stateful_actor<tier_state>* self) {
    auto& st = self->state;
    st.cfg = config;
    st.where = where;
    st.reader = reader;
    st.writer = writer;
    st.lock_token = token;
    // Workers live as long as the tier.
    self->link_to(reader);
    self->link_to(writer);
    probe(self);
    return tier_behavior(self);
  });
  return caf::actor_cast<redis_tier_actor>(actor);
}

} // namespace parley
