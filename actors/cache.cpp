#include "actors/cache.hpp"

#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/lru_map.hpp"
#include "messages/cache_types.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/translation.hpp"

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

/// A translation some request is computing right now, or that the shared
/// tier is being asked for.
struct in_flight {
  caf::actor_addr leader;
  std::vector<std::pair<cache_waiter, std::string>> waiters;
  /// Set when the shared tier knows this key: the result goes there too.
  bool shared = false;
  tier_text_key tier_key;
};

/// An answer held back until the shared tier has answered its misses.
struct parked_answer {
  cache_waiter asker;
  cache_answer answer;
  size_t outstanding = 0;
};

struct cache_state {
  lru_map<cached_text> entries;
  std::unordered_map<std::string, in_flight> pending;
  std::unordered_map<caf::actor_addr, std::vector<std::string>> led_keys;
  /// The second tier; invalid when none is configured.
  redis_tier_actor shared;
  std::unordered_map<uint64_t, parked_answer> parked;
  uint64_t next_parked = 1;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  uint64_t coalesced = 0;
  /// Requests answered whole by direct_lookup, without a handler.
  uint64_t direct_answers = 0;
  /// Local misses the shared tier answered, and did not.
  uint64_t shared_hits = 0;
  uint64_t shared_misses = 0;
  /// Storage reused to build lookup keys.
  std::string scratch;

  static inline const char* name = "cache";
};

using cache_pointer = resizable_cache_actor::stateful_pointer<cache_state>;

void fail_waiters(in_flight& flight, const caf::error& reason,
                  cache_pointer self) {
  for (auto& [waiter, target] : flight.waiters)
    self->send(waiter, fill_atom::value, target, reason);
}

/// What the shared tier said about one slot of a parked answer.
void on_shared_answer(cache_pointer self, uint64_t parked_id, size_t index,
                      const std::string& key, const tier_text_key& tier_key,
                      tier_text_answer& reply) {
  auto& st = self->state;
  auto parked = st.parked.find(parked_id);
  auto flight = st.pending.find(key);
  auto asker_leads =
      parked != st.parked.end() && flight != st.pending.end()
      && flight->second.leader
             == caf::actor_cast<caf::actor_addr>(parked->second.asker);
  if (reply.found) {
    ++st.shared_hits;
    if (flight != st.pending.end() && asker_leads) {
      for (auto& [waiter, target] : flight->second.waiters)
        self->send(waiter, fill_atom::value, target, reply.value);
      st.pending.erase(flight);
    }
    if (parked != st.parked.end()) {
      auto& slot = parked->second.answer.slots[index];
      slot.state = slot_state::hit;
      slot.value = reply.value;
    }
    if (st.entries.put(key, std::move(reply.value)))
      ++st.evictions;
  } else {
    ++st.shared_misses;
    // The asker is gone: let other fronts have the key at once.
    if (!asker_leads)
      self->send(st.shared, abandon_atom::value, tier_key);
  }
  if (parked == st.parked.end())
    return;
  if (--parked->second.outstanding == 0) {
    self->send(parked->second.asker, std::move(parked->second.answer));
    st.parked.erase(parked);
  }
}

/// Answers `lookup` straight to its sink when the local tier holds every
/// target; false, having sent and counted nothing, when it misses one.
bool answer_directly(cache_pointer self, direct_lookup& lookup) {
  auto& st = self->state;
  const auto& query = lookup.query;
  std::vector<const cached_text*> found;
  found.reserve(query.target_langs.size());
  for (const auto& target : query.target_langs) {
    write_key(st.scratch, query.model, query.source_lang, target, query.text);
    const auto* hit = st.entries.find(st.scratch);
    if (hit == nullptr)
      return false;
    found.push_back(hit);
  }
  // No put happens below, so no entry found above is evicted.
  for (size_t i = 0; i < found.size(); ++i)
    self->send(lookup.sink,
               translation{lookup.request_id,
                           std::move(lookup.spelled_targets[i]), found[i]->text,
                           query.model, found[i]->route, true, 0, 0,
                           query.source_lang, language_detection{}});
  auto answered = static_cast<uint32_t>(found.size());
  self->send(lookup.sink, translation_done{lookup.request_id, answered, 0});
  st.hits += found.size();
  ++st.direct_answers;
  return true;
}

/// Holds `answer` back and asks the shared tier for its `misses`; a hit
/// there fills the local tier, a miss leaves the slot to the asker.
void ask_shared_tier(cache_pointer self, const cache_query& query,
                     cache_waiter asker, cache_answer answer,
                     const std::vector<size_t>& misses) {
  auto& st = self->state;
  auto id = st.next_parked++;
  auto& parked = st.parked[id];
  parked.asker = std::move(asker);
  parked.answer = std::move(answer);
  parked.outstanding = misses.size();
  for (auto index : misses) {
    const auto& target = parked.answer.slots[index].target_lang;
    auto key =
        make_key(cache_key{query.model, query.source_lang, target, query.text});
    tier_text_key tier_key{query.model_type, query.source_lang, target,
                           query.text};
    // The tier answers within its own deadline; it never leaves a lookup
    // unanswered.
    self->request(st.shared, caf::infinite, lookup_atom::value, tier_key)
        .then(
            [self, id, index, key, tier_key](tier_text_answer& reply) {
              on_shared_answer(self, id, index, key, tier_key, reply);
            },
            [self, id, index, key, tier_key](caf::error&) {
              tier_text_answer miss;
              on_shared_answer(self, id, index, key, tier_key, miss);
            });
  }
}

resizable_cache_actor::behavior_type cache_behavior(cache_pointer self) {
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
      if (flight->second.shared)
        self->send(st.shared, abandon_atom::value,
                   std::move(flight->second.tier_key));
      st.pending.erase(flight);
    }
    st.led_keys.erase(led);
  });
  return {
      [self](lookup_atom, const cache_query& query) {
        auto& st = self->state;
        cache_answer answer;
        answer.slots.reserve(query.target_langs.size());
        // Slots the local tier missed and nobody computes: the shared tier
        // is asked before the asker leads them.
        std::vector<size_t> shared_misses;
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
            in_flight flight;
            flight.leader = leader;
            if (st.shared) {
              flight.shared = true;
              flight.tier_key = tier_text_key{
                  query.model_type, query.source_lang, target, query.text};
              shared_misses.push_back(answer.slots.size());
            }
            st.pending.emplace(st.scratch, std::move(flight));
          }
          answer.slots.push_back(std::move(slot));
        }
        auto asker = caf::actor_cast<cache_waiter>(self->current_sender());
        if (shared_misses.empty()) {
          self->send(asker, std::move(answer));
          return;
        }
        ask_shared_tier(self, query, std::move(asker), std::move(answer),
                        shared_misses);
      },
      [self](lookup_atom, direct_lookup& lookup) {
        return answer_directly(self, lookup);
      },
      [self](store_atom, cache_fill& fill) {
        auto& st = self->state;
        auto key = make_key(fill.key);
        auto flight = st.pending.find(key);
        if (flight != st.pending.end()) {
          for (auto& [waiter, target] : flight->second.waiters)
            self->send(waiter, fill_atom::value, target, fill.value);
          // In the background: nobody waits for the shared tier's write.
          if (flight->second.shared)
            self->send(st.shared, store_atom::value,
                       std::move(flight->second.tier_key), fill.value);
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
        if (flight->second.shared)
          self->send(st.shared, abandon_atom::value,
                     std::move(flight->second.tier_key));
        st.pending.erase(flight);
      },
      [self](capacity_atom, uint64_t capacity) {
        auto& st = self->state;
        st.evictions += st.entries.set_capacity(capacity);
        return done_atom::value;
      },
      [self](stats_atom) -> metrics {
        auto& st = self->state;
        metrics result;
        result.values["cache_hits_total"] = st.hits;
        result.values["cache_misses_total"] = st.misses;
        result.values["cache_evictions_total"] = st.evictions;
        result.values["cache_coalesced_total"] = st.coalesced;
        result.values["cache_direct_answers_total"] = st.direct_answers;
        result.values["cache_entries"] = st.entries.size();
        result.values["cache_capacity"] = st.entries.capacity();
        result.values["cache_in_flight"] = st.pending.size();
        if (st.shared) {
          result.values["cache_shared_hits_total"] = st.shared_hits;
          result.values["cache_shared_misses_total"] = st.shared_misses;
        }
        return result;
      },
  };
}

} // namespace

resizable_cache_actor spawn_cache(caf::actor_system& sys, size_t capacity,
                                  redis_tier_actor shared) {
  return sys.spawn([capacity, shared](cache_pointer self) {
    self->state.entries.set_capacity(capacity);
    self->state.shared = shared;
    return cache_behavior(self);
  });
}

} // namespace parley
