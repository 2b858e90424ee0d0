#include "actors/supervisor.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/replica.hpp"
#include "messages/translation.hpp"

namespace parley {

namespace {

constexpr auto longest_backoff = std::chrono::seconds(10);

struct replica_slot {
  caf::actor handle;
  bool ready = false;
  uint32_t failed_starts = 0;
};

struct supervisor_state {
  supervisor_config config;
  replica_spawner spawn;
  replica_dispatcher dispatcher;
  std::vector<replica_slot> slots;
  uint64_t restarts = 0;
  bool reported_unavailable = false;
  /// Told to stop: it quits with `stop_reason` once every replica is down.
  bool stopping = false;
  caf::error stop_reason;

  static inline const char* name = "supervisor";
};

using supervisor_pointer = supervisor_actor::stateful_pointer<supervisor_state>;

void start_replica(supervisor_pointer self, uint32_t index) {
  auto& st = self->state;
  auto& slot = st.slots[index];
  slot.ready = false;
  slot.handle =
      st.spawn(self->system(), caf::actor_cast<supervisor_actor>(self));
  self->monitor(slot.handle);
}

caf::timespan backoff_after(uint32_t failed_starts) {
  if (failed_starts == 0)
    return caf::timespan{0};
  auto delay =
      supervisor_first_backoff * (1u << std::min(failed_starts - 1, 10u));
  return std::min<caf::timespan>(delay, longest_backoff);
}

/// Quits once no replica runs: a replica still loading or inferring holds
/// its thread until then, and whoever stops this supervisor waits for that.
void quit_when_replicas_down(supervisor_pointer self) {
  auto& st = self->state;
  if (std::none_of(st.slots.begin(), st.slots.end(),
                   [](const replica_slot& x) { return x.handle != nullptr; }))
    self->quit(st.stop_reason);
}

void on_replica_down(supervisor_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  auto slot = std::find_if(
      st.slots.begin(), st.slots.end(),
      [&](const replica_slot& x) { return x.handle.address() == msg.source; });
  if (slot == st.slots.end())
    return;
  if (st.stopping) {
    slot->handle = nullptr;
    return quit_when_replicas_down(self);
  }
  auto index = static_cast<uint32_t>(slot - st.slots.begin());
  if (slot->ready)
    slot->failed_starts = 0;
  else
    ++slot->failed_starts;
  slot->ready = false;
  slot->handle = nullptr; // none runs until the restart
  ++st.restarts;
  spdlog::warn("model {}: replica {} stopped ({}); restarting",
               st.config.model_name, index, explanation_of(msg.reason));
  bool none_ready = std::none_of(st.slots.begin(), st.slots.end(),
                                 [](const replica_slot& x) { return x.ready; });
  if (none_ready && slot->failed_starts >= st.config.max_failed_starts
      && !st.reported_unavailable) {
    st.reported_unavailable = true;
    self->send(st.dispatcher, unavailable_atom::value,
               make_error(error_code::model_unavailable,
                          "model " + st.config.model_name + " failed to start: "
                              + explanation_of(msg.reason)));
  }
  auto delay = backoff_after(slot->failed_starts);
  if (delay.count() == 0)
    start_replica(self, index);
  else
    self->delayed_send(self, delay, restart_atom::value, index);
}

} // namespace

supervisor_actor spawn_supervisor(caf::actor_system& sys,
                                  const supervisor_config& config,
                                  replica_spawner spawn,
                                  replica_dispatcher dispatcher) {
  auto init = [config, spawn, dispatcher](
                  supervisor_pointer self) -> supervisor_actor::behavior_type {
    auto& st = self->state;
    st.config = config;
    st.spawn = spawn;
    st.dispatcher = dispatcher;
    st.slots.resize(std::max<size_t>(config.replicas, 1));
    for (uint32_t i = 0; i < st.slots.size(); ++i)
      start_replica(self, i);
    self->set_down_handler(
        [self](caf::down_msg& msg) { on_replica_down(self, msg); });
    self->set_exit_handler([self](caf::exit_msg& msg) {
      auto& st = self->state;
      if (st.stopping)
        return;
      st.stopping = true;
      st.stop_reason = msg.reason;
      for (auto& slot : st.slots)
        if (slot.handle)
          self->send_exit(slot.handle, msg.reason);
      quit_when_replicas_down(self);
    });
    return {
        // The replica announced itself to its pool; here it only counts as
        // started.
        [self](ready_atom, const replica_info&) {
          auto& st = self->state;
          auto sender = self->current_sender();
          for (auto& slot : st.slots)
            if (slot.handle.address() == sender) {
              slot.ready = true;
              slot.failed_starts = 0;
              st.reported_unavailable = false;
            }
        },
        [self](restart_atom, uint32_t index) {
          auto& st = self->state;
          if (index < st.slots.size() && !st.stopping)
            start_replica(self, index);
        },
        [self](stats_atom) -> metrics {
          auto& st = self->state;
          auto label = "{model=\"" + st.config.model_name + "\"}";
          metrics result;
          result.values["model_restarts_total" + label] = st.restarts;
          result.values["model_replicas" + label] = st.slots.size();
          return result;
        },
    };
  };
  return sys.spawn(std::move(init));
}

} // namespace parley
