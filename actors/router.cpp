#include "actors/router.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/optional.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/audio_handler.hpp"
#include "actors/request_keys.hpp"
#include "actors/request_validation.hpp"
#include "actors/telemetry.hpp"
#include "actors/translation_handler.hpp"
#include "messages/cache_types.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"

namespace parley {

namespace {

using time_point = caf::actor_clock::time_point;

struct request_counters {
  uint64_t received = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
};

struct active_handler {
  caf::actor handle;
  time_point deadline;
  const char* type;
};

struct router_state {
  router_setup setup;
  /// Keyed by handler id; ids and deadlines both grow, so the entries that
  /// expire first come first.
  std::map<uint64_t, active_handler> active;
  uint64_t next_handler_id = 1;
  /// Requests the cache is asked to answer whole (direct_lookup).
  size_t direct_in_flight = 0;
  std::map<std::string, request_counters> counters;
  bool draining = false;
  std::vector<caf::typed_response_promise<done_atom>> drain_waiters;

  static inline const char* name = "router";
};

using router_pointer = reloadable_router_actor::stateful_pointer<router_state>;

constexpr const char* translation_type = "translation";
constexpr const char* transcription_type = "transcription";
constexpr const char* audio_type = "audio";

/// The model serving `requested` (a model name or a model type): the type's
/// route, else the `default` route. Empty when neither leads to a loaded
/// model; `why` then says so.
std::string resolve_model(const router_setup& setup,
                          const std::string& requested, std::string& why) {
  if (setup.models.count(requested) > 0)
    return requested;
  auto route = setup.routes.find(requested);
  if (route == setup.routes.end())
    route = setup.routes.find("default");
  if (route == setup.routes.end()) {
    why = "no route for model type '" + requested
          + "' and no default route is configured";
    return {};
  }
  if (setup.models.count(route->second) == 0) {
    why = "model type '" + requested + "' routes to model '" + route->second
          + "', which is not loaded";
    return {};
  }
  return route->second;
}

void reject(router_pointer self, const translate_request& request,
            const translation_sink& sink, caf::error reason) {
  ++self->state.counters[translation_type].failed;
  if (self->state.setup.telemetry) {
    request_sample refused;
    refused.targets.push_back({"", 0, false, to_string(code_of(reason))});
    report_request(self->state.setup.telemetry, std::move(refused));
  }
  self->send(sink, translation_failure{request.id, "", std::move(reason)});
  self->send(sink, translation_done{request.id, 0, 1});
}

/// Answers the drain's waiters once nothing accepted is left unanswered.
void deliver_if_drained(router_pointer self) {
  auto& st = self->state;
  if (!st.draining || !st.active.empty() || st.direct_in_flight > 0)
    return;
  for (auto& waiter : st.drain_waiters)
    waiter.deliver(done_atom::value);
  st.drain_waiters.clear();
}

void start_handler(router_pointer self, translate_request request,
                   translation_sink sink, const std::string& model) {
  auto& st = self->state;
  auto id = st.next_handler_id++;
  handler_context ctx{id,
                      std::move(request),
                      std::move(sink),
                      model,
                      st.setup.cache,
                      st.setup.models[model],
                      caf::actor_cast<router_actor>(self),
                      st.setup.detect,
                      st.setup.memory,
                      st.setup.telemetry};
  auto handler = spawn_translation_handler(self->system(), std::move(ctx));
  st.active.emplace(
      id, active_handler{caf::actor_cast<caf::actor>(handler),
                         self->clock().now() + st.setup.request_timeout,
                         translation_type});
}

/// The lookup through which the cache may answer `request` whole, without
/// a handler: for a named source and targets that are language codes other
/// than the source, each once. Anything else (detection, the source as a
/// target, a bad code) is the handler's work.
caf::optional<direct_lookup> direct_lookup_of(const translate_request& request,
                                              const std::string& model) {
  if (is_auto_source(request.source_lang))
    return caf::none;
  auto source = normalize_language_tag(request.source_lang);
  if (source.empty())
    return caf::none;
  direct_lookup lookup;
  auto& targets = lookup.query.target_langs;
  for (const auto& raw : request.target_langs) {
    auto target = normalize_language_tag(raw);
    if (target.empty() || target == source
        || std::find(targets.begin(), targets.end(), target) != targets.end())
      return caf::none;
    targets.push_back(std::move(target));
    lookup.spelled_targets.push_back(raw);
  }
  lookup.query.model = model;
  lookup.query.source_lang = std::move(source);
  lookup.query.text = cached_text_of(request);
  lookup.query.model_type = request.model;
  lookup.request_id = request.id;
  return lookup;
}

/// A request whose whole answer the cache was asked for.
struct awaiting_cache {
  translate_request request;
  translation_sink sink;
  std::string model;
  /// With histograms on: the telemetry sample, filled in but for the
  /// latency, which the reply gives.
  request_sample sample;
  caf::actor_clock::time_point asked;
};

/// What a request the cache answers whole will tell the telemetry actor, as
/// a handler's would: every target from the cache.
request_sample direct_sample(const cache_query& query,
                             const translate_request& request) {
  request_sample sample;
  sample.model = query.model;
  sample.source_lang = query.source_lang;
  sample.characters = static_cast<uint32_t>(utf8_length(request.text));
  for (const auto& target : query.target_langs)
    sample.targets.push_back(target_outcome{target, 0, true, {}});
  return sample;
}

/// The cache's reply: the request is answered, or it goes to a handler.
void settle(router_pointer self, awaiting_cache& waiting, bool answered) {
  auto& st = self->state;
  --st.direct_in_flight;
  if (!answered) {
    start_handler(self, std::move(waiting.request), std::move(waiting.sink),
                  waiting.model);
  } else {
    ++st.counters[translation_type].completed;
    if (st.setup.telemetry) {
      auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          self->clock().now() - waiting.asked);
      for (auto& target : waiting.sample.targets)
        target.latency_us = static_cast<uint32_t>(elapsed.count());
      report_request(st.setup.telemetry, std::move(waiting.sample));
    }
  }
  deliver_if_drained(self);
}

/// Cache hits cost no actor: the cache answers the sink itself when its
/// local tier holds every target, and only a miss starts a handler.
void ask_cache_first(router_pointer self, direct_lookup lookup,
                     translate_request request, translation_sink sink,
                     std::string model) {
  auto& st = self->state;
  lookup.sink = sink;
  ++st.direct_in_flight;
  // Shared by the two reply handlers, so the request is not copied.
  auto waiting = std::make_shared<awaiting_cache>(
      awaiting_cache{std::move(request), std::move(sink), std::move(model),
                     request_sample{}, self->clock().now()});
  if (st.setup.telemetry)
    waiting->sample = direct_sample(lookup.query, waiting->request);
  self->request(st.setup.cache, caf::infinite, lookup_atom::value,
                std::move(lookup))
      .then(
          [self, waiting](bool answered) { settle(self, *waiting, answered); },
          [self, waiting](caf::error&) { settle(self, *waiting, false); });
}

void on_request(router_pointer self, translate_request& request,
                translation_sink& sink) {
  auto& st = self->state;
  ++st.counters[translation_type].received;
  if (st.draining)
    return reject(self, request, sink,
                  make_error(error_code::model_unavailable,
                             "the server is shutting down"));
  if (request.target_langs.empty())
    return reject(
        self, request, sink,
        make_error(error_code::invalid_request, "no target language given"));
  if (auto err = validate_text(request.text, st.setup.max_text_chars))
    return reject(self, request, sink, std::move(err));
  std::string unroutable;
  auto model = resolve_model(st.setup, request.model, unroutable);
  if (model.empty())
    return reject(self, request, sink,
                  make_error(error_code::model_unavailable, unroutable));
  if (auto lookup = direct_lookup_of(request, model); lookup && st.setup.cache)
    return ask_cache_first(self, std::move(*lookup), std::move(request),
                           std::move(sink), std::move(model));
  start_handler(self, std::move(request), std::move(sink), model);
}

void on_audio(router_pointer self, audio_request& request, audio_sink& sink) {
  auto& st = self->state;
  const char* type =
      request.target_langs.empty() ? transcription_type : audio_type;
  auto& counters = st.counters[type];
  ++counters.received;
  auto refuse = [&](caf::error reason) {
    ++counters.failed;
    self->send(sink, audio_done{request.id, 0, 0, std::move(reason)});
  };
  if (st.draining)
    return refuse(make_error(error_code::model_unavailable,
                             "the server is shutting down"));
  // A phone's transcription to hand back as it is needs no codec; audio to
  // decode or speech to encode does.
  auto transcript_only =
      !request.mobile_text.empty() && request.target_langs.empty();
  if (!st.setup.codec && !transcript_only)
    return refuse(make_error(error_code::model_unavailable,
                             "the audio pipeline is not available"));
  if (request.audio.empty() && request.mobile_text.empty())
    return refuse(
        make_error(error_code::missing_audio, "the request carries no audio"));
  auto id = st.next_handler_id++;
  audio_context ctx{id,
                    std::move(request),
                    std::move(sink),
                    st.setup.codec,
                    st.setup.transcriber,
                    st.setup.synthesizer,
                    caf::actor_cast<router_actor>(self),
                    st.setup.window_seconds,
                    st.setup.audio_cache,
                    st.setup.voice};
  auto handler = spawn_audio_handler(self->system(), std::move(ctx));
  st.active.emplace(
      id, active_handler{caf::actor_cast<caf::actor>(handler),
                         self->clock().now() + st.setup.audio_timeout, type});
}

void on_done(router_pointer self, uint64_t handler_id, bool all_ok) {
  auto& st = self->state;
  auto entry = st.active.find(handler_id);
  if (entry == st.active.end())
    return;
  auto& counters = st.counters[entry->second.type];
  ++(all_ok ? counters.completed : counters.failed);
  st.active.erase(entry);
  deliver_if_drained(self);
}

void expire_overdue(router_pointer self) {
  auto now = self->clock().now();
  // Text and audio have different timeouts, so deadlines are not in id
  // order: every handler is checked.
  for (auto& [id, handler] : self->state.active)
    if (handler.deadline <= now)
      caf::anon_send(handler.handle, expire_atom::value);
}

metrics router_metrics(const router_state& st) {
  metrics result;
  for (const auto& [type, counters] : st.counters) {
    auto label = "{type=\"" + type + "\"";
    result.values["requests_total" + label + ",outcome=\"received\"}"] =
        counters.received;
    result.values["requests_total" + label + ",outcome=\"completed\"}"] =
        counters.completed;
    result.values["requests_total" + label + ",outcome=\"failed\"}"] =
        counters.failed;
    result.values["requests_active" + label + "}"] = std::count_if(
        st.active.begin(), st.active.end(),
        [&](const auto& entry) { return entry.second.type == type; });
  }
  result.values["handlers_active"] = st.active.size();
  result.values["direct_lookups_in_flight"] = st.direct_in_flight;
  result.values["router_draining"] = st.draining ? 1 : 0;
  return result;
}

} // namespace

reloadable_router_actor spawn_router(caf::actor_system& sys,
                                     router_setup setup) {
  auto init =
      [setup = std::move(setup)](
          router_pointer self) -> reloadable_router_actor::behavior_type {
    self->state.setup = setup;
    self->delayed_send(self, router_deadline_check, caf::tick_atom::value);
    return {
        [self](translate_request& request, translation_sink& sink) {
          on_request(self, request, sink);
        },
        [self](audio_request& request, audio_sink& sink) {
          on_audio(self, request, sink);
        },
        [self](done_atom, uint64_t handler_id, bool all_ok) {
          on_done(self, handler_id, all_ok);
        },
        [self](shutdown_atom, caf::timespan drain) -> caf::result<done_atom> {
          auto& st = self->state;
          st.draining = true;
          if (st.active.empty() && st.direct_in_flight == 0)
            return done_atom::value;
          st.drain_waiters.push_back(self->make_response_promise<done_atom>());
          self->delayed_send(self, drain, expire_atom::value);
          return st.drain_waiters.back();
        },
        [self](expire_atom) {
          for (auto& [id, handler] : self->state.active)
            caf::anon_send(handler.handle, expire_atom::value);
        },
        [self](caf::tick_atom) {
          expire_overdue(self);
          self->delayed_send(self, router_deadline_check,
                             caf::tick_atom::value);
        },
        // Models loaded and unloaded at run time: from now on requests
        // resolve with or without it.
        [self](caf::put_atom, const std::string& name, pool_actor& pool) {
          self->state.setup.models[name] = std::move(pool);
          return done_atom::value;
        },
        [self](caf::delete_atom, const std::string& name) {
          self->state.setup.models.erase(name);
          return done_atom::value;
        },
        [self](routes_atom, route_table& routes) {
          // Requests resolved before keep their model; the next ones follow
          // the new routes.
          self->state.setup.routes = std::move(routes);
          return done_atom::value;
        },
        [self](stats_atom) { return router_metrics(self->state); },
    };
  };
  return sys.spawn(std::move(init));
}

} // namespace parley
