#include "actors/translation_handler.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/optional.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/request_keys.hpp"
#include "actors/request_validation.hpp"
#include "actors/telemetry.hpp"
#include "messages/cache_types.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

struct handler_state {
  handler_context ctx;
  std::string source_lang;
  /// How `source_lang` was decided (method `none` when the request named it).
  language_detection detection;
  /// Target languages not answered yet: normalized, and as the caller spelled
  /// them (events echo the caller's spelling).
  std::vector<std::pair<std::string, std::string>> open;
  /// Open languages this request computes for the cache.
  std::vector<std::string> leading;
  uint32_t completed = 0;
  uint32_t failed = 0;
  /// When the handler started: each target's latency counts from here.
  caf::actor_clock::time_point started;
  /// How each target was answered, for the telemetry actor.
  std::vector<target_outcome> outcomes;

  static inline const char* name = "translation_handler";
};

using handler_pointer =
    translation_handler_actor::stateful_pointer<handler_state>;

/// Removes `target` from the open languages; returns its spelling, or
/// nothing when it was answered already.
caf::optional<std::string> close(handler_state& st, const std::string& target) {
  auto i = std::find_if(st.open.begin(), st.open.end(),
                        [&](const auto& x) { return x.first == target; });
  if (i == st.open.end())
    return caf::none;
  auto spelled = std::move(i->second);
  st.open.erase(i);
  return spelled;
}

cache_key key_for(const handler_state& st, const std::string& target) {
  return {st.ctx.model, st.source_lang, target, cached_text_of(st.ctx.request)};
}

/// Notes how `target` was answered, when histograms are on.
void note_outcome(handler_pointer self, const std::string& target,
                  bool from_cache, std::string error = {}) {
  auto& st = self->state;
  if (!st.ctx.telemetry)
    return;
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      self->clock().now() - st.started);
  st.outcomes.push_back(target_outcome{target,
                                       static_cast<uint32_t>(elapsed.count()),
                                       from_cache, std::move(error)});
}

void report_outcomes(handler_state& st) {
  if (!st.ctx.telemetry)
    return;
  request_sample sample;
  sample.model = st.ctx.model;
  sample.source_lang = st.source_lang;
  sample.characters = static_cast<uint32_t>(utf8_length(st.ctx.request.text));
  if (st.detection.method != detection_method::none)
    sample.detection = to_string(st.detection.method);
  sample.targets = std::move(st.outcomes);
  report_request(st.ctx.telemetry, std::move(sample));
}

void finish_if_done(handler_pointer self) {
  auto& st = self->state;
  if (!st.open.empty())
    return;
  report_outcomes(st);
  self->send(st.ctx.sink,
             translation_done{st.ctx.request.id, st.completed, st.failed});
  self->send(st.ctx.router, done_atom::value, st.ctx.handler_id,
             st.failed == 0);
  self->quit();
}

void succeed(handler_pointer self, const std::string& target, std::string text,
             std::vector<std::string> route, bool from_cache,
             uint32_t queue_us = 0, uint32_t inference_us = 0) {
  auto& st = self->state;
  auto spelled = close(st, target);
  if (!spelled)
    return;
  ++st.completed;
  note_outcome(self, target, from_cache);
  self->send(st.ctx.sink,
             translation{st.ctx.request.id, std::move(*spelled),
                         std::move(text), st.ctx.model, std::move(route),
                         from_cache, queue_us, inference_us, st.source_lang,
                         st.detection});
}

void fail(handler_pointer self, const std::string& target,
          const caf::error& reason) {
  auto& st = self->state;
  auto spelled = close(st, target);
  if (!spelled)
    return;
  ++st.failed;
  note_outcome(self, target, false, to_string(code_of(reason)));
  self->send(st.ctx.sink, translation_failure{st.ctx.request.id,
                                              std::move(*spelled), reason});
}

/// A model's refusal of a detected source names the detected language, so
/// the client learns what "auto" became.
caf::error with_detection(const handler_state& st, const caf::error& reason) {
  if (st.detection.method == detection_method::none
      || code_of(reason) != error_code::unsupported_language)
    return reason;
  return make_error(error_code::unsupported_language,
                    "detected source language '" + st.source_lang + "' ("
                        + to_string(st.detection.method)
                        + "): " + explanation_of(reason));
}

/// The source language of the request: as named, or detected for "auto".
/// Empty when it cannot be used; `why` then says so.
std::string resolve_source(handler_state& st, const language_history& history,
                           std::string& why) {
  const auto& request = st.ctx.request;
  if (!is_auto_source(request.source_lang)) {
    auto source = normalize_language_tag(request.source_lang);
    if (source.empty())
      why = "'" + request.source_lang + "' is not a language code";
    return source;
  }
  if (!st.ctx.detect) {
    why = "unknown source language '" + request.source_lang
          + "' (language detection is off)";
    return {};
  }
  st.detection = st.ctx.detect(request.text,
                               {request.source_hints, history,
                                request.markup.format != text_format::plain});
  auto source = normalize_language_tag(st.detection.language);
  if (source.empty())
    why = "the source language could not be detected: " + st.detection.note;
  return source;
}

void compute(handler_pointer self, const std::string& target) {
  auto& st = self->state;
  st.leading.push_back(target);
  translation_job job{st.source_lang, target, st.ctx.request.text,
                      st.ctx.request.priority, st.ctx.request.markup};
  self->request(st.ctx.pool, caf::infinite, infer_atom::value, std::move(job))
      .then(
          [self, target](job_result& result) {
            auto& st = self->state;
            take(st.leading, target);
            self->send(st.ctx.cache, store_atom::value,
                       cache_fill{key_for(st, target),
                                  cached_text{result.text, result.route}});
            succeed(self, target, std::move(result.text),
                    std::move(result.route), false, result.queue_us,
                    result.inference_us);
            finish_if_done(self);
          },
          [self, target](caf::error& err) {
            auto& st = self->state;
            take(st.leading, target);
            self->send(st.ctx.cache, abandon_atom::value, key_for(st, target),
                       err);
            fail(self, target, with_detection(st, err));
            finish_if_done(self);
          });
}

void on_cache_answer(handler_pointer self, cache_answer& answer) {
  for (auto& slot : answer.slots) {
    switch (slot.state) {
    case slot_state::hit:
      succeed(self, slot.target_lang, std::move(slot.value.text),
              std::move(slot.value.route), true);
      break;
    case slot_state::lead:
      compute(self, slot.target_lang);
      break;
    case slot_state::wait:
      break; // a `fill` message follows
    }
  }
  finish_if_done(self);
}

void expire(handler_pointer self) {
  auto& st = self->state;
  auto reason =
      make_error(error_code::timeout, "the translation did not finish in time");
  for (const auto& target : st.leading)
    self->send(st.ctx.cache, abandon_atom::value, key_for(st, target), reason);
  st.leading.clear();
  auto open = st.open;
  for (const auto& target : open)
    fail(self, target.first, reason);
  finish_if_done(self);
}

bool names_conversation(const translate_request& request) {
  return !request.conversation.conversation.empty()
         || !request.conversation.sender.empty();
}

/// Only what the text itself decided is remembered: a language the
/// conversation decided would otherwise feed itself.
bool decided_by_text(const language_detection& detection) {
  return !detection.language.empty()
         && (detection.method == detection_method::detector
             || detection.method == detection_method::words);
}

/// Settles what needs no cache or model, then asks the cache for the rest.
void proceed(handler_pointer self, const language_history& history) {
  auto& st = self->state;
  const auto& request = st.ctx.request;
  std::string unusable_source;
  st.source_lang = resolve_source(st, history, unusable_source);
  if (st.ctx.memory && names_conversation(request)
      && decided_by_text(st.detection))
    self->send(st.ctx.memory, remember_atom::value, request.conversation,
               normalize_language_tag(st.detection.language));
  std::vector<std::string> lookups;
  auto open = st.open; // answering at once closes
  for (const auto& [name, raw] : open) {
    auto target = normalize_language_tag(raw);
    if (st.source_lang.empty())
      fail(self, name,
           make_error(error_code::unsupported_language, unusable_source));
    else if (target.empty())
      fail(self, name,
           make_error(error_code::unsupported_language,
                      "'" + raw + "' is not a language code"));
    else if (target == st.source_lang)
      succeed(self, name, request.text, {target}, false);
    else
      lookups.push_back(std::move(target));
  }
  if (lookups.empty()) {
    finish_if_done(self);
    return;
  }
  self->send(st.ctx.cache, lookup_atom::value,
             cache_query{st.ctx.model, st.source_lang, cached_text_of(request),
                         std::move(lookups), request.model});
}

/// Detection of an "auto" source in a named conversation waits for the
/// conversation's recent languages; a silent memory costs `memory_timeout`
/// and the detection goes on without them.
void start(handler_pointer self) {
  auto& st = self->state;
  const auto& request = st.ctx.request;
  st.started = self->clock().now();
  // Every language is open from the start, once whatever its spellings, so
  // that an expiry while waiting answers each.
  for (const auto& raw : request.target_langs) {
    auto target = normalize_language_tag(raw);
    auto name = target.empty() ? raw : target;
    if (std::none_of(st.open.begin(), st.open.end(),
                     [&](const auto& x) { return x.first == name; }))
      st.open.emplace_back(name, raw);
  }
  if (!st.ctx.memory || !st.ctx.detect || !is_auto_source(request.source_lang)
      || !names_conversation(request)) {
    proceed(self, {});
    return;
  }
  self->request(st.ctx.memory, memory_timeout, recall_atom::value,
                request.conversation)
      .then([self](language_history& history) { proceed(self, history); },
            [self](caf::error&) { proceed(self, {}); });
}

} // namespace

translation_handler_actor spawn_translation_handler(caf::actor_system& sys,
                                                    handler_context context) {
  auto init =
      [](handler_pointer self,
         handler_context context) -> translation_handler_actor::behavior_type {
    self->state.ctx = std::move(context);
    start(self);
    return {
        [self](cache_answer& answer) { on_cache_answer(self, answer); },
        [self](fill_atom, const std::string& target, cached_text& value) {
          succeed(self, target, std::move(value.text), std::move(value.route),
                  true);
          finish_if_done(self);
        },
        [self](fill_atom, const std::string& target, const caf::error& reason) {
          fail(self, target, with_detection(self->state, reason));
          finish_if_done(self);
        },
        [self](expire_atom) { expire(self); },
    };
  };
  return sys.spawn(init, std::move(context));
}

} // namespace parley
