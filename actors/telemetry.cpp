#include "actors/telemetry.hpp"

#include <algorithm>
#include <cstdio>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/metrics.hpp"

namespace parley {

namespace {

/// A language tag safe inside a Prometheus label and short.
bool plain_tag(const std::string& tag) {
  return !tag.empty() && tag.size() <= 16
         && std::all_of(tag.begin(), tag.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                     || (c >= '0' && c <= '9') || c == '-' || c == '_';
            });
}

bool serves(const language_routes& served, const std::string& source,
            const std::string& target) {
  if (served.routes.empty() && served.languages.empty())
    return true;
  for (const auto& route : served.routes)
    if (route.source_lang == source && route.target_lang == target)
      return true;
  if (!served.routes.empty())
    return false;
  auto listed = [&](const std::string& x) {
    return std::find(served.languages.begin(), served.languages.end(), x)
           != served.languages.end();
  };
  return listed(source) && listed(target);
}

struct telemetry_state {
  std::map<std::string, language_routes> served;
  std::map<std::string, model_timings> models;
  std::map<std::string, pair_traffic> pairs;
  /// Per pair, the answers that came from a cache tier.
  std::map<std::string, uint64_t> cache_answers;
  telemetry_snapshot totals;

  static inline const char* name = "telemetry";
};

using telemetry_pointer = telemetry_actor::stateful_pointer<telemetry_state>;

pair_traffic& pair_entry(telemetry_state& st, const std::string& model,
                         const std::string& source, const std::string& target) {
  auto served = st.served.find(model);
  auto label = pair_label(served == st.served.end() ? nullptr : &served->second,
                          source, target);
  if (label != "other" && st.pairs.count(label) == 0
      && st.pairs.size() >= max_labelled_pairs)
    label = "other";
  auto& entry = st.pairs[label];
  if (entry.pair.empty())
    entry.pair = label;
  return entry;
}

void record(telemetry_state& st, const request_sample& sample) {
  if (!sample.detection.empty())
    ++st.totals.detections[sample.detection];
  for (const auto& outcome : sample.targets) {
    if (!outcome.error.empty()) {
      ++st.totals.errors[outcome.error];
      continue;
    }
    auto seconds = outcome.latency_us / 1e6;
    auto& pair =
        pair_entry(st, sample.model, sample.source_lang, outcome.target_lang);
    pair.latency_seconds.observe(seconds);
    pair.characters += sample.characters;
    if (outcome.from_cache)
      ++st.cache_answers[pair.pair];
    st.totals.latency_seconds.observe(seconds);
    st.totals.characters += sample.characters;
  }
}

void record(telemetry_state& st, const batch_sample& sample) {
  auto& model = st.models[sample.model];
  model.model = sample.model;
  model.batch_size.observe(sample.size);
  model.compute_seconds.observe(sample.compute_us / 1e6);
  for (auto queue_us : sample.queue_us)
    model.queue_seconds.observe(queue_us / 1e6);
}

/// Adds `h` as the Prometheus series `name_bucket`, `_sum` and `_count`,
/// `labels` (`model="x"`) on each.
void add_histogram(metrics& out, const std::string& name,
                   const std::string& labels, const histogram& h) {
  auto prefix = labels.empty() ? std::string{} : labels + ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.bounds.size(); ++i) {
    cumulative += h.counts[i];
    char bound[32];
    std::snprintf(bound, sizeof(bound), "%g", h.bounds[i]);
    out.values[name + "_bucket{" + prefix + "le=\"" + bound + "\"}"] =
        static_cast<double>(cumulative);
  }
  out.values[name + "_bucket{" + prefix + "le=\"+Inf\"}"] =
      static_cast<double>(h.count);
  auto braced = labels.empty() ? std::string{} : "{" + labels + "}";
  out.values[name + "_sum" + braced] = h.sum;
  out.values[name + "_count" + braced] = static_cast<double>(h.count);
}

metrics counters(const telemetry_state& st) {
  metrics out;
  for (const auto& [name, model] : st.models) {
    auto label = "model=\"" + name + "\"";
    add_histogram(out, "model_queue_seconds", label, model.queue_seconds);
    add_histogram(out, "model_compute_seconds", label, model.compute_seconds);
    add_histogram(out, "model_batch_size", label, model.batch_size);
  }
  for (const auto& [name, pair] : st.pairs) {
    auto label = "pair=\"" + name + "\"";
    add_histogram(out, "pair_latency_seconds", label, pair.latency_seconds);
    out.values["pair_characters_total{" + label + "}"] =
        static_cast<double>(pair.characters);
  }
  for (const auto& [name, count] : st.cache_answers)
    out.values["pair_cache_answers_total{pair=\"" + name + "\"}"] =
        static_cast<double>(count);
  for (const auto& [code, count] : st.totals.errors)
    out.values["translation_errors_total{code=\"" + code + "\"}"] =
        static_cast<double>(count);
  for (const auto& [method, count] : st.totals.detections)
    out.values["detections_total{method=\"" + method + "\"}"] =
        static_cast<double>(count);
  return out;
}

telemetry_snapshot snapshot(const telemetry_state& st) {
  auto result = st.totals;
  for (const auto& [name, model] : st.models)
    result.models.push_back(model);
  for (const auto& [name, pair] : st.pairs)
    result.pairs.push_back(pair);
  return result;
}

} // namespace

std::string pair_label(const language_routes* served, const std::string& source,
                       const std::string& target) {
  if (!plain_tag(source) || !plain_tag(target))
    return "other";
  if (served != nullptr && !serves(*served, source, target))
    return "other";
  return source + "-" + target;
}

telemetry_actor spawn_telemetry(caf::actor_system& sys) {
  return sys.spawn(
      [](telemetry_pointer self) -> telemetry_actor::behavior_type {
        return {
            [self](const request_sample& sample) {
              record(self->state, sample);
            },
            [self](const batch_sample& sample) { record(self->state, sample); },
            [self](languages_atom, const std::string& model,
                   const language_routes& languages) {
              self->state.served[model] = languages;
            },
            [self](stats_atom) { return counters(self->state); },
            [self](dashboard_atom) { return snapshot(self->state); },
        };
      });
}

void report_request(const telemetry_actor& telemetry, request_sample sample) {
  if (telemetry)
    caf::anon_send(telemetry, std::move(sample));
}

void report_batch(const telemetry_actor& telemetry, batch_sample sample) {
  if (telemetry)
    caf::anon_send(telemetry, std::move(sample));
}

} // namespace parley
