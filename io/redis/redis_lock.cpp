#include "io/redis/redis_lock.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "io/redis/redis_connections.hpp"
#include "io/redis/redis_format.hpp"

namespace parley::tier {

namespace {

std::string lock_name(const tier_state& st, const std::string& key) {
  return st.cfg.key_prefix
         + "parley:lock:" + key.substr(st.cfg.key_prefix.size());
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

} // namespace

std::optional<cached_text> first_text(tier_state& st,
                                      const std::vector<redis_reply>& replies,
                                      size_t from, size_t to,
                                      const tier_text_key& key, size_t* which,
                                      bool count_corrupt) {
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
        auto expired = self->clock().now() >= waiter->second.give_up;
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
            id, lock_waiter{name, self->clock().now() + st.cfg.lock_wait, done,
                            key});
        self->delayed_send(self, st.cfg.lock_poll, poll_atom::value, id);
      });
}

void release(tier_pointer self, const std::string& name) {
  auto& st = self->state;
  auto lock = lock_name(st, name);
  if (st.held_locks.erase(lock) > 0)
    drop_lock(self, lock);
}

} // namespace parley::tier
