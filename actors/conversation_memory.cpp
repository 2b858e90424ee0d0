#include "actors/conversation_memory.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/lru_map.hpp"
#include "actors/sha256.hpp"
#include "messages/detection.hpp"
#include "messages/metrics.hpp"

namespace parley {

namespace {

using language_list = std::vector<std::string>;

/// The LRU's key of a conversation and of a sender: the prefixes keep a
/// conversation and a sender with the same id apart.
std::string conversation_key(const std::string& id) {
  return "c:" + id;
}

std::string sender_key(const std::string& id) {
  return "s:" + id;
}

/// Ids are the client's; a long one is held (and shared) under its SHA-256,
/// so that no id can make a key, here or in Redis, larger than this.
constexpr size_t max_id_bytes = 64;

std::string bounded_id(const std::string& id) {
  return id.size() > max_id_bytes ? "sha256:" + sha256_hex(id) : id;
}

conversation_keys bounded(const conversation_keys& keys) {
  return {bounded_id(keys.conversation), bounded_id(keys.sender)};
}

struct memory_state {
  conversation_memory_config cfg;
  lru_map<language_list> languages;
  /// The tier the fronts share; invalid when none is configured.
  conversation_memory_actor shared;
  uint64_t evictions = 0;
  /// Recalls the shared tier answered with some history, with none, and
  /// not in time (or with an error).
  uint64_t shared_hits = 0;
  uint64_t shared_misses = 0;
  uint64_t shared_failures = 0;

  static inline const char* name = "conversation_memory";
};

using memory_pointer =
    local_conversation_memory_actor::stateful_pointer<memory_state>;

/// What is held for `id` under `key`, marked recently used; nothing for an
/// empty id or an unknown key.
language_list held(memory_state& st, const std::string& id,
                   const std::string& key) {
  if (id.empty())
    return {};
  auto* languages = st.languages.find(key);
  return languages == nullptr ? language_list{} : *languages;
}

language_history held(memory_state& st, const conversation_keys& keys) {
  return {held(st, keys.conversation, conversation_key(keys.conversation)),
          held(st, keys.sender, sender_key(keys.sender))};
}

void put(memory_state& st, std::string key, language_list languages) {
  if (st.languages.put(std::move(key), std::move(languages)))
    ++st.evictions;
}

/// Puts `language` in front of what `key` holds, trimmed to the depth.
void push(memory_state& st, const std::string& id, std::string key,
          const std::string& language) {
  if (id.empty() || st.cfg.depth == 0)
    return;
  language_list languages{language};
  if (auto* before = st.languages.find(key))
    languages.insert(languages.end(), before->begin(),
                     before->begin()
                         + std::min(before->size(), st.cfg.depth - 1));
  put(st, std::move(key), std::move(languages));
}

/// Holds what the shared tier knew of `key`, unless the key was remembered
/// here meanwhile: then this front's own list is the more recent.
void fill(memory_state& st, const std::string& id, std::string key,
          language_list languages) {
  if (id.empty() || languages.empty() || st.languages.contains(key))
    return;
  languages.resize(std::min(languages.size(), st.cfg.depth));
  put(st, std::move(key), std::move(languages));
}

/// Asks the shared tier for `missing` (the keys of `keys` not held here),
/// then answers `keys` from the local LRU.
caf::typed_response_promise<language_history>
recall_shared(memory_pointer self, const conversation_keys& keys,
              const conversation_keys& missing) {
  auto promise = self->make_response_promise<language_history>();
  self->request(self->state.shared, self->state.cfg.shared_timeout,
                recall_atom::value, missing)
      .then(
          [self, promise, keys, missing](language_history& found) mutable {
            auto& st = self->state;
            if (found.conversation.empty() && found.sender.empty())
              ++st.shared_misses;
            else
              ++st.shared_hits;
            fill(st, missing.conversation,
                 conversation_key(missing.conversation),
                 std::move(found.conversation));
            fill(st, missing.sender, sender_key(missing.sender),
                 std::move(found.sender));
            promise.deliver(held(st, keys));
          },
          [self, promise, keys](caf::error&) mutable {
            auto& st = self->state;
            ++st.shared_failures;
            promise.deliver(held(st, keys));
          });
  return promise;
}

local_conversation_memory_actor::behavior_type
memory_behavior(memory_pointer self) {
  return {
      [self](recall_atom,
             const conversation_keys& asked) -> caf::result<language_history> {
        auto& st = self->state;
        auto keys = bounded(asked);
        if (!st.shared)
          return held(st, keys);
        conversation_keys missing;
        if (!keys.conversation.empty()
            && !st.languages.contains(conversation_key(keys.conversation)))
          missing.conversation = keys.conversation;
        if (!keys.sender.empty()
            && !st.languages.contains(sender_key(keys.sender)))
          missing.sender = keys.sender;
        if (missing.conversation.empty() && missing.sender.empty())
          return held(st, keys);
        return recall_shared(self, keys, missing);
      },
      [self](remember_atom, const conversation_keys& told,
             const std::string& language) {
        auto& st = self->state;
        auto keys = bounded(told);
        if (language.empty()
            || (keys.conversation.empty() && keys.sender.empty()))
          return;
        push(st, keys.conversation, conversation_key(keys.conversation),
             language);
        push(st, keys.sender, sender_key(keys.sender), language);
        // In the background: nobody waits for the shared tier's write.
        if (st.shared)
          self->send(st.shared, remember_atom::value, keys, language);
      },
      [self](stats_atom) {
        auto& st = self->state;
        metrics result;
        result.values["conversation_memory_keys"] = st.languages.size();
        result.values["conversation_memory_capacity"] = st.languages.capacity();
        result.values["conversation_memory_evictions_total"] = st.evictions;
        if (st.shared) {
          result.values["conversation_memory_shared_hits_total"] =
              st.shared_hits;
          result.values["conversation_memory_shared_misses_total"] =
              st.shared_misses;
          result.values["conversation_memory_shared_failures_total"] =
              st.shared_failures;
        }
        return result;
      },
  };
}

} // namespace

local_conversation_memory_actor
spawn_conversation_memory(caf::actor_system& sys,
                          conversation_memory_config config,
                          conversation_memory_actor shared) {
  return sys.spawn([config, shared](memory_pointer self) {
    auto& st = self->state;
    st.cfg = config;
    st.languages.set_capacity(config.capacity);
    st.shared = shared;
    return memory_behavior(self);
  });
}

} // namespace parley
