// The telemetry actor on CAF's test coordinator: what it keeps of request
// and batch samples, as Prometheus series and as the dashboard's snapshot,
// and the bound on its language-pair labels.

#include <catch2/catch.hpp>

#include <string>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actors/telemetry.hpp"
#include "tests/support/deterministic.hpp"

using namespace parley;
using namespace parley::test;

namespace {

telemetry_snapshot snapshot_of(deterministic_system& ds,
                               const telemetry_actor& telemetry) {
  telemetry_snapshot result;
  ds.sys().spawn([&](caf::event_based_actor* self) {
    self->request(telemetry, caf::infinite, dashboard_atom::value)
        .then([&](telemetry_snapshot& x) { result = std::move(x); });
  });
  ds.run();
  return result;
}

request_sample answered(std::string model, std::string source,
                        std::string target, uint32_t latency_us,
                        uint32_t characters = 10) {
  request_sample sample;
  sample.model = std::move(model);
  sample.source_lang = std::move(source);
  sample.characters = characters;
  sample.targets.push_back({std::move(target), latency_us, false, ""});
  return sample;
}

double value_of(const metrics& m, const std::string& name) {
  auto i = m.values.find(name);
  if (i == m.values.end())
    FAIL("no series " << name);
  return i->second;
}

} // namespace

TEST_CASE("the telemetry actor keeps each served pair's latency and "
          "characters, folds an unserved pair into other, and counts errors "
          "and detection methods",
          "[actors][telemetry]") {
  deterministic_system ds;
  auto telemetry = spawn_telemetry(ds.sys());
  language_routes served;
  served.routes.push_back({"en", "es", {}});
  caf::anon_send(telemetry, languages_atom::value, std::string{"m"}, served);
  caf::anon_send(telemetry, answered("m", "en", "es", 3000, 12));
  auto from_cache = answered("m", "en", "es", 40000, 12);
  from_cache.targets.front().from_cache = true;
  caf::anon_send(telemetry, from_cache);
  caf::anon_send(telemetry, answered("m", "xx", "yy", 1000, 5));
  request_sample failed;
  failed.model = "m";
  failed.detection = "words";
  failed.targets.push_back({"fr", 0, false, "UNSUPPORTED_LANGUAGE"});
  caf::anon_send(telemetry, failed);
  ds.run();
  auto counters = stats_of(ds, telemetry);
  CHECK(value_of(counters, "pair_latency_seconds_count{pair=\"en-es\"}") == 2);
  CHECK(value_of(counters, "pair_latency_seconds_bucket{pair=\"en-es\","
                           "le=\"0.005\"}")
        == 1);
  CHECK(value_of(counters, "pair_latency_seconds_bucket{pair=\"en-es\","
                           "le=\"0.05\"}")
        == 2);
  CHECK(value_of(counters, "pair_latency_seconds_sum{pair=\"en-es\"}")
        == Approx(0.043));
  CHECK(value_of(counters, "pair_characters_total{pair=\"en-es\"}") == 24);
  CHECK(value_of(counters, "pair_cache_answers_total{pair=\"en-es\"}") == 1);
  CHECK(counters.values.count("pair_cache_answers_total{pair=\"other\"}") == 0);
  CHECK(value_of(counters, "pair_latency_seconds_count{pair=\"other\"}") == 1);
  CHECK(counters.values.count("pair_latency_seconds_count{pair=\"xx-yy\"}")
        == 0);
  CHECK(value_of(counters,
                 "translation_errors_total{code=\"UNSUPPORTED_LANGUAGE\"}")
        == 1);
  CHECK(value_of(counters, "detections_total{method=\"words\"}") == 1);
  auto snapshot = snapshot_of(ds, telemetry);
  CHECK(snapshot.latency_seconds.count == 3);
  CHECK(snapshot.characters == 29);
}

TEST_CASE("however many pairs requests name, at most max_labelled_pairs get "
          "series of their own",
          "[actors][telemetry]") {
  deterministic_system ds;
  auto telemetry = spawn_telemetry(ds.sys());
  // A model that announced no languages serves any pair.
  for (size_t i = 0; i < max_labelled_pairs + 20; ++i)
    caf::anon_send(telemetry,
                   answered("any", "l" + std::to_string(i), "en", 1000));
  ds.run();
  auto snapshot = snapshot_of(ds, telemetry);
  CHECK(snapshot.pairs.size() == max_labelled_pairs + 1);
  uint64_t other = 0;
  for (const auto& pair : snapshot.pairs)
    if (pair.pair == "other")
      other = pair.latency_seconds.count;
  CHECK(other == 20);
}

TEST_CASE("a batch sample feeds its model's queue, compute and batch-size "
          "histograms",
          "[actors][telemetry]") {
  deterministic_system ds;
  auto telemetry = spawn_telemetry(ds.sys());
  caf::anon_send(telemetry, batch_sample{"m", 3, 20000, {1000, 2000, 300000}});
  ds.run();
  auto counters = stats_of(ds, telemetry);
  CHECK(value_of(counters, "model_queue_seconds_count{model=\"m\"}") == 3);
  CHECK(value_of(counters, "model_compute_seconds_count{model=\"m\"}") == 1);
  CHECK(value_of(counters, "model_batch_size_sum{model=\"m\"}") == 3);
  CHECK(value_of(counters, "model_batch_size_bucket{model=\"m\",le=\"2\"}")
        == 0);
  CHECK(value_of(counters, "model_batch_size_bucket{model=\"m\",le=\"4\"}")
        == 1);
}
