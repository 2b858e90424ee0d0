#include "actors/audio_cache.hpp"

#include <string>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/lru_map.hpp"
#include "actors/sha256.hpp"
#include "messages/audio_cache_types.hpp"
#include "messages/metrics.hpp"

namespace parley {

namespace {

struct audio_cache_state {
  lru_map<transcription> transcripts;
  lru_map<cached_speech> speech;
  redis_tier_actor shared;
  metrics counters;

  static inline const char* name = "audio_cache";
};

using audio_cache_pointer =
    resizable_audio_cache_actor::stateful_pointer<audio_cache_state>;

std::string speech_name(const speech_key& key) {
  return key.audio_hash + '\x1f' + key.lang + '\x1f' + key.variant;
}

void count(audio_cache_state& st, const char* what, const char* kind,
           const char* tier) {
  st.counters.values[std::string{"audio_cache_"} + what + "_total{kind=\""
                     + kind + "\",tier=\"" + tier + "\"}"] += 1;
}

} // namespace

std::string audio_hash(const std::string& bytes) {
  return sha256_hex(bytes).substr(0, 32);
}

resizable_audio_cache_actor spawn_audio_cache(caf::actor_system& sys,
                                              size_t capacity,
                                              redis_tier_actor shared) {
  auto init = [capacity, shared](audio_cache_pointer self)
      -> resizable_audio_cache_actor::behavior_type {
    auto& st = self->state;
    st.transcripts.set_capacity(capacity);
    st.speech.set_capacity(capacity);
    st.shared = shared;
    return {
        [self](capacity_atom, uint64_t capacity) {
          auto& st = self->state;
          st.transcripts.set_capacity(capacity);
          st.speech.set_capacity(capacity);
          return done_atom::value;
        },
        [self](lookup_atom,
               const transcript_key& key) -> caf::result<cached_transcript> {
          auto& st = self->state;
          if (auto* hit = st.transcripts.find(key.audio_hash)) {
            count(st, "hits", "transcription", "local");
            return cached_transcript{true, *hit};
          }
          count(st, "misses", "transcription", "local");
          if (!st.shared)
            return cached_transcript{};
          auto promise = self->make_response_promise<cached_transcript>();
          auto name = key.audio_hash;
          self->request(st.shared, caf::infinite, lookup_atom::value, key)
              .then(
                  [self, promise, name](cached_transcript& reply) mutable {
                    auto& st = self->state;
                    count(st, reply.found ? "hits" : "misses", "transcription",
                          "redis");
                    if (reply.found)
                      st.transcripts.put(name, reply.value);
                    promise.deliver(std::move(reply));
                  },
                  [promise](caf::error&) mutable {
                    promise.deliver(cached_transcript{});
                  });
          return promise;
        },
        [self](store_atom, const transcript_key& key,
               const transcription& heard) {
          auto& st = self->state;
          st.transcripts.put(key.audio_hash, heard);
          if (st.shared)
            self->send(st.shared, store_atom::value, key, heard);
        },
        [self](lookup_atom,
               const speech_key& key) -> caf::result<cached_speech> {
          auto& st = self->state;
          auto name = speech_name(key);
          if (auto* hit = st.speech.find(name)) {
            count(st, "hits", "speech", "local");
            return *hit;
          }
          count(st, "misses", "speech", "local");
          if (!st.shared)
            return cached_speech{};
          auto promise = self->make_response_promise<cached_speech>();
          self->request(st.shared, caf::infinite, lookup_atom::value, key)
              .then(
                  [self, promise, name](cached_speech& reply) mutable {
                    auto& st = self->state;
                    count(st, reply.found ? "hits" : "misses", "speech",
                          "redis");
                    if (reply.found)
                      st.speech.put(name, reply);
                    promise.deliver(std::move(reply));
                  },
                  [promise](caf::error&) mutable {
                    promise.deliver(cached_speech{});
                  });
          return promise;
        },
        [self](store_atom, const speech_key& key, const cached_speech& spoken) {
          auto& st = self->state;
          st.speech.put(speech_name(key), spoken);
          if (st.shared)
            self->send(st.shared, store_atom::value, key, spoken);
        },
        [self](stats_atom) {
          auto& st = self->state;
          auto result = st.counters;
          result.values["audio_cache_entries{kind=\"transcription\"}"] =
              st.transcripts.size();
          result.values["audio_cache_entries{kind=\"speech\"}"] =
              st.speech.size();
          return result;
        },
    };
  };
  return sys.spawn(init);
}

} // namespace parley
