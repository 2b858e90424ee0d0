#pragma once

// Helpers to run the real actor graph inside a test and talk to it like a
// client does.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "io/redis/redis_config.hpp"
#include "messages/metrics.hpp"
#include "messages/translation.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"

namespace parley::test {

/// The events one request produced, as its sink saw them.
struct request_events {
  std::vector<translation> results;
  std::vector<translation_failure> failures;
  bool done = false;

  const translation* result_for(const std::string& lang) const;
  const translation_failure* failure_for(const std::string& lang) const;
};

/// An actor system plus a runtime, ready (every model loaded) on return.
class runtime_fixture {
public:
  /// `with_audio` adds the FFmpeg codec actor, which audio requests need.
  /// `redis` adds the shared cache tier (io/redis/redis_tier).
  explicit runtime_fixture(runtime_config cfg, size_t threads = 2,
                           bool with_audio = false,
                           std::optional<redis_tier_config> redis = {});
  ~runtime_fixture();

  caf::actor_system& system() {
    return *sys_;
  }

  runtime& rt() {
    return *rt_;
  }

  /// The merged counters of every actor.
  metrics stats();

  /// Sends a request and waits for all of its events.
  request_events translate(translate_request request);

private:
  system_config sys_cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<runtime> rt_;
};

/// A client: sends requests to the router with itself as sink and collects
/// the events.
class test_client {
public:
  explicit test_client(caf::actor_system& sys);

  void send(const router_actor& router, translate_request request);

  /// Receives until `count` more requests are done; fails the test when 30
  /// seconds pass without an event.
  void collect(size_t count);

  std::map<uint64_t, request_events> events;
  /// Request ids in the order their `translation_done` arrived.
  std::vector<uint64_t> done_order;

private:
  caf::scoped_actor self_;
};

/// Polls `condition` every few milliseconds until it holds or 20 seconds
/// pass; returns its last value. For waiting on state, never for timing.
bool eventually(const std::function<bool()>& condition);

/// A model of kind "probe" steered by the probe named `probe`.
model_config probe_model(const std::string& name, const std::string& probe,
                         size_t replicas = 1);

/// A runtime configuration holding `models`, the first one the default.
runtime_config config_with(std::vector<model_config> models);

/// A request to `model` with id `id`.
translate_request make_request(uint64_t id, std::string text,
                               std::vector<std::string> targets,
                               std::string source = "en",
                               std::string model = "");

} // namespace parley::test
