// Every type that crosses between a front and its workers, serialized as
// CAF's middleman does (a message through the binary serializer, which finds
// each element by its type ID) and read back: the copy renders exactly as
// the original, every field included.

#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/replica_pool.hpp"
#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "messages/replica.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "server/system_config.hpp"

using namespace parley;

namespace {

template <class T>
void check_round_trip(caf::actor_system& sys, const T& value) {
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  auto msg = caf::make_message(value);
  REQUIRE_FALSE(msg.save(sink));
  caf::binary_deserializer source{sys, buffer};
  caf::message copy;
  REQUIRE_FALSE(copy.load(source));
  REQUIRE(copy.match_elements<T>());
  CHECK(caf::deep_to_string(copy.get_as<T>(0)) == caf::deep_to_string(value));
}

language_routes some_routes() {
  language_routes routes;
  routes.routes.push_back(language_route{"en", "es", {}});
  routes.routes.push_back(language_route{"fr", "pt", {"fr", "es", "pt"}});
  routes.languages = {"en", "es", "fr", "pt"};
  return routes;
}

} // namespace

TEST_CASE("every type that crosses nodes survives CAF's binary serializer",
          "[messages][cluster]") {
  parley::system_config cfg;
  caf::actor_system sys{cfg};

  replica_info info;
  info.model = "nllb";
  info.kind = "nllb";
  info.task = model_task::translation;
  info.node = "gpu-1:4242";
  info.languages = some_routes();
  info.window_seconds = 30;
  info.max_batch = 32;
  check_round_trip(sys, info);

  pool_status pool;
  pool.model = "nllb";
  pool.task = model_task::transcription;
  pool.queued = 7;
  pool.in_flight = 3;
  pool.unavailable = true;
  pool.draining = true;
  pool.replicas.push_back(replica_status{"w1", "whisper", 1, 1, 10, 12});
  pool.languages = some_routes();
  check_round_trip(sys, pool);

  node_status node{"w1", "joined", {"apertium", "espeak"}, 1234};
  check_round_trip(sys, node);

  cluster_status cluster;
  cluster.front = "front";
  cluster.nodes = {node, node_status{"w2", "lost", {}, 99}};
  cluster.pools = {pool};
  cluster.nodes_joined = 3;
  cluster.nodes_lost = 1;
  cluster.joins_refused = 2;
  check_round_trip(sys, cluster);

  join_request join{"secret", "w1", {"apertium", "pocketsphinx"}};
  check_round_trip(sys, join);

  // Jobs and results, the bulk of the traffic.
  translation_batch batch;
  batch.jobs.push_back(
      translation_job{"en", "es", "Hello, world", lane::background});
  batch.jobs.push_back(
      translation_job{"fr", "de", "Bonjour", lane::interactive});
  check_round_trip(sys, batch);
  batch_output out;
  out.outputs.push_back(job_output{"Hola, mundo", {"en", "es"}, {}});
  out.outputs.push_back(job_output{
      "", {}, make_error(error_code::unsupported_language, "no fr-de")});
  out.inference_us = 4321;
  check_round_trip(sys, out);
  check_round_trip(sys, job_result{"Hola", {"en", "es"}, 12, 34});

  audio_window window;
  window.samples = {0.5f, -0.25f, 0.125f};
  window.offset_ms = 30000;
  window.language = "en";
  window.timestamps = false;
  check_round_trip(sys, window);
  transcription heard;
  heard.request_id = 9;
  heard.text = "and so my fellow Americans";
  heard.language = "en";
  heard.confidence = 0.75f;
  heard.duration_ms = 11000;
  heard.model = "whisper";
  heard.segments.push_back(transcript_segment{"and so", 0, 700, 0.5f});
  check_round_trip(sys, heard);
  check_round_trip(sys, synthesize_request{3, "es", "Hola"});
  synthesis spoken;
  spoken.request_id = 3;
  spoken.language = "es";
  spoken.sample_rate = 22050;
  spoken.samples = {1, -2, 3};
  check_round_trip(sys, spoken);
}

TEST_CASE("the handles a join hands out survive serialization",
          "[messages][cluster]") {
  parley::system_config cfg;
  caf::actor_system sys{cfg};
  pool_config config;
  config.model_name = "apertium";
  auto translation = spawn_pool(sys, model_task::translation, config);
  config.model_name = "pocketsphinx";
  auto transcription = spawn_pool(sys, model_task::transcription, config);
  config.model_name = "espeak";
  auto synthesis = spawn_pool(sys, model_task::synthesis, config);

  join_reply reply;
  reply.front = "front";
  reply.pools.emplace("apertium", translation);
  reply.pools.emplace("pocketsphinx", transcription);
  reply.pools.emplace("espeak", synthesis);
  check_round_trip(sys, reply);
  check_round_trip(sys, translation);
  check_round_trip(sys, transcription);
  check_round_trip(sys, synthesis);

  for (auto& handle : {caf::actor_cast<caf::actor>(translation),
                       caf::actor_cast<caf::actor>(transcription),
                       caf::actor_cast<caf::actor>(synthesis)})
    caf::anon_send_exit(handle, caf::exit_reason::user_shutdown);
}
