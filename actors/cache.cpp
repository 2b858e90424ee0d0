#include "actors/cache.hpp"

#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/lru_map.hpp"
#include "messages/cache.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"

namespace parley {

namespace {

/// Writes the key of one entry into `key`, reusing its storage. Languages
/// and model names never contain the separator, and the text comes last, so
/// distinct entries never share a key.
void write_key(std::string& key, const std::string& model,
               const std::string& source, const std::string& target,
               const std::string& text) {
  key.clear();
  key += model;
  key += '\x1f';
  key += source;
  key += '\x1f';
  key += target;
  key += '\x1f';
  key += text;
}

std::string make_key(const cache_key& k) {
  std::string key;
  write_key(key, k.model, k.source_lang, k.target_lang, k.text);
  return key;
}

/// A translation some request is computing right now.
struct in_flight {
  caf::actor_addr leader;
  std::vector<std::pair<cache_waiter, std::string>> waiters;
};

struct cache_state {
  lru_map<cached_text> entries;
  std::unordered_map<std::string, in_flight> pending;
  std::unordered_map<caf::actor_addr, std::vector<std::string>> led_keys;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  uint64_t coalesced = 0;
  /// Storage reused to build lookup keys.
  std::string scratch;

  static inline const char* name = "cache";
};

using cache_pointer = cache_actor::stateful_pointer<cache_state>;

void fail_waiters(in_flight& flight, const caf::error& reason,
                  cache_pointer self) {
  for (auto& [waiter, target] : flight.waiters)
    self->send(waiter, fill_atom::value, target, reason);
}

cache_actor::behavior_type cache_behavior(cache_pointer self) {
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    auto led = st.led_keys.find(msg.source);
    if (led == st.led_keys.end())
      return;
    for (const auto& key : led->second) {
      auto flight = st.pending.find(key);
      if (flight == st.pending.end() || flight->second.leader != msg.source)
        continue;
      fail_waiters(flight->second,
                   make_error(error_code::internal_error,
                              "the request computing this translation ended"),
                   self);
      st.pending.erase(flight);
    }
    st.led_keys.erase(led);
  });
  return {
    [self](lookup_atom, const cache_query& query) {
      auto& st = self->state;
      cache_answer answer;
      answer.slots.reserve(query.target_langs.size());
      for (const auto& target : query.target_langs) {
        write_key(st.scratch, query.model, query.source_lang, target,
                  query.text);
        cache_slot slot;
        slot.target_lang = target;
        if (auto hit = st.entries.find(st.scratch)) {
          ++st.hits;
          slot.state = slot_state::hit;
          slot.value = *hit;
          answer.slots.push_back(std::move(slot));
          continue;
        }
        ++st.misses;
        auto sender = self->current_sender();
        auto flight = st.pending.find(st.scratch);
        if (flight != st.pending.end()) {
          ++st.coalesced;
          slot.state = slot_state::wait;
          flight->second.waiters.emplace_back(
            caf::actor_cast<cache_waiter>(sender), target);
        } else {
          slot.state = slot_state::lead;
          auto leader = caf::actor_cast<caf::actor_addr>(sender);
          auto& led = st.led_keys[leader];
          if (led.empty())
            self->monitor(sender);
          led.push_back(st.scratch);
          st.pending.emplace(st.scratch, in_flight{leader, {}});
        }
        answer.slots.push_back(std::move(slot));
      }
      self->send(caf::actor_cast<cache_waiter>(self->current_sender()),
                 std::move(answer));
    },
    [self](store_atom, cache_fill& fill) {
      auto& st = self->state;
      auto key = make_key(fill.key);
      auto flight = st.pending.find(key);
      if (flight != st.pending.end()) {
        for (auto& [waiter, target] : flight->second.waiters)
          self->send(waiter, fill_atom::value, target, fill.value);
        st.pending.erase(flight);
      }
      if (st.entries.put(std::move(key), std::move(fill.value)))
        ++st.evictions;
    },
    [self](abandon_atom, const cache_key& key, const caf::error& reason) {
      auto& st = self->state;
      auto flight = st.pending.find(make_key(key));
      if (flight == st.pending.end())
        return;
      fail_waiters(flight->second, reason, self);
      st.pending.erase(flight);
    },
    [self](stats_atom) -> metrics {
      auto& st = self->state;
      metrics result;
      result.values["cache_hits_total"] = st.hits;
      result.values["cache_misses_total"] = st.misses;
      result.values["cache_evictions_total"] = st.evictions;
      result.values["cache_coalesced_total"] = st.coalesced;
      result.values["cache_entries"] = st.entries.size();
      result.values["cache_capacity"] = st.entries.capacity();
      result.values["cache_in_flight"] = st.pending.size();
      return result;
    },
  };
}

} // namespace

cache_actor spawn_cache(caf::actor_system& sys, size_t capacity) {
  return sys.spawn(
    [capacity](cache_pointer self) {
      self->state.entries.set_capacity(capacity);
      return cache_behavior(self);
    });
}

} // namespace parley
