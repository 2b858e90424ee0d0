#include "tests/support/runtime_fixture.hpp"

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "io/media/audio_codec_actor.hpp"
#include "io/redis/redis_tier.hpp"
#include "messages/error_code.hpp"
#include "tests/support/probe_backend.hpp"

namespace parley::test {

const translation* request_events::result_for(const std::string& lang) const {
  for (const auto& result : results)
    if (result.target_lang == lang)
      return &result;
  return nullptr;
}

const translation_failure*
request_events::failure_for(const std::string& lang) const {
  for (const auto& failure : failures)
    if (failure.target_lang == lang)
      return &failure;
  return nullptr;
}

runtime_fixture::runtime_fixture(runtime_config cfg, size_t threads,
                                 bool with_audio,
                                 std::optional<redis_tier_config> redis)
    : sys_cfg_(scheduler_settings{threads, "sharing"}) {
  sys_ = std::make_unique<caf::actor_system>(sys_cfg_);
  codec_actor codec;
  if (with_audio)
    codec = spawn_audio_codec(*sys_, audio_limits{});
  redis_tier_actor shared;
  if (redis)
    shared = spawn_redis_tier(*sys_, *redis);
  rt_ = std::make_unique<runtime>(*sys_, std::move(cfg), registry_with_probe(),
                                  codec, shared);
  rt_->wait_until_ready(std::chrono::seconds(60));
}

runtime_fixture::~runtime_fixture() {
  open_all_gates();
  rt_->shutdown(std::chrono::seconds(5));
  rt_.reset();
  sys_.reset();
}

metrics runtime_fixture::stats() {
  caf::scoped_actor self{*sys_};
  metrics result;
  self->request(rt_->stats(), std::chrono::seconds(5), stats_atom::value)
      .receive([&](metrics& m) { result = std::move(m); },
               [&](caf::error& err) {
                 FAIL("stats failed: " << caf::to_string(err));
               });
  return result;
}

request_events runtime_fixture::translate(translate_request request) {
  test_client client{*sys_};
  auto id = request.id;
  client.send(rt_->router(), std::move(request));
  client.collect(1);
  return client.events[id];
}

test_client::test_client(caf::actor_system& sys) : self_(sys) {
}

void test_client::send(const router_actor& router, translate_request request) {
  self_->send(router, std::move(request),
              caf::actor_cast<translation_sink>(self_.ptr()));
}

void test_client::collect(size_t count) {
  size_t done = 0;
  bool stalled = false;
  self_->receive_while([&] { return done < count && !stalled; })(
      [&](translation& result) {
        events[result.request_id].results.push_back(std::move(result));
      },
      [&](translation_failure& failure) {
        events[failure.request_id].failures.push_back(std::move(failure));
      },
      [&](translation_done& finished) {
        events[finished.request_id].done = true;
        done_order.push_back(finished.request_id);
        ++done;
      },
      caf::after(std::chrono::seconds(30)) >> [&] { stalled = true; });
  if (stalled)
    FAIL("no event for 30 s; " << done << " of " << count << " requests done");
}

bool eventually(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

model_config probe_model(const std::string& name, const std::string& probe,
                         size_t replicas) {
  model_config model;
  model.name = name;
  model.kind = "probe";
  model.replicas = replicas;
  model.options.set("probe", probe);
  return model;
}

runtime_config config_with(std::vector<model_config> models) {
  runtime_config cfg;
  cfg.routes["default"] = models.front().name;
  cfg.models = std::move(models);
  return cfg;
}

translate_request make_request(uint64_t id, std::string text,
                               std::vector<std::string> targets,
                               std::string source, std::string model) {
  translate_request request;
  request.id = id;
  request.text = std::move(text);
  request.target_langs = std::move(targets);
  request.source_lang = std::move(source);
  request.model = std::move(model);
  return request;
}

} // namespace parley::test
