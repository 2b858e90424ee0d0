#include "io/redis/redis_tier.hpp"

#include <chrono>
#include <cstdio>
#include <random>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "io/redis/redis_client.hpp"
#include "io/redis/redis_connections.hpp"
#include "io/redis/redis_format.hpp"
#include "io/redis/redis_languages.hpp"
#include "io/redis/redis_lock.hpp"
#include "io/redis/redis_tier_state.hpp"
#include "io/redis/redis_worker.hpp"
#include "messages/audio_cache_types.hpp"
#include "messages/cache_types.hpp"
#include "messages/metrics.hpp"
#include "messages/redis.hpp"

namespace parley {

namespace {

using namespace tier;

std::string kind_label(const char* kind) {
  return std::string{"{kind=\""} + kind + "\"}";
}

std::string prefixed(const tier_state& st, const std::string& key) {
  return st.cfg.key_prefix + key;
}

tier_text_key with_default_type(tier_text_key key) {
  if (key.model_type.empty())
    key.model_type = default_model_type;
  return key;
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
      [self](recall_atom, const conversation_keys& keys) {
        auto promise = self->make_response_promise<language_history>();
        recall_languages(self, keys, promise);
        return promise;
      },
      [self](remember_atom, const conversation_keys& keys,
             const std::string& language) {
        remember_language(self, keys, language);
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

redis_endpoint endpoint_of(const redis_tier_config& config) {
  auto endpoint = parse_redis_url(config.url);
  if (!config.password.empty())
    endpoint.password = config.password;
  if (config.database)
    endpoint.database = *config.database;
  return endpoint;
}

} // namespace

redis_tier_actor spawn_redis_tier(caf::actor_system& sys,
                                  redis_tier_config config) {
  auto endpoint = endpoint_of(config);
  auto io_timeout = std::max(config.timeout, std::chrono::milliseconds{1});
  auto reader =
      spawn_redis_worker(sys, endpoint, config.connect_timeout, io_timeout);
  // Writes are never waited for: give them more time than lookups.
  auto writer =
      spawn_redis_worker(sys, endpoint, config.connect_timeout,
                         std::max(io_timeout, config.connect_timeout));
  return spawn_redis_tier(sys, std::move(config), reader, writer);
}

redis_tier_actor spawn_redis_tier(caf::actor_system& sys,
                                  redis_tier_config config,
                                  redis_worker_actor reader,
                                  redis_worker_actor writer) {
  std::random_device entropy;
  auto token = std::to_string(entropy()) + "-" + std::to_string(entropy());
  auto where = describe(endpoint_of(config));
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
