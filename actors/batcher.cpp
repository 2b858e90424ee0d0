// Flush contract. A batch is handed to a replica when that replica is idle and
// either `max_batch` jobs are queued or the oldest queued job has waited
// `max_delay`. Jobs are taken from the interactive lane first, then from the
// background lane, each in arrival order. With `max_delay` zero a batch leaves
// as soon as a replica is free, so batches grow only while every replica is
// busy. A queue holding `queue_capacity` jobs refuses new ones with
// OVERLOADED; it never grows without bound.
//
// Every job is answered exactly once. When the replica holding a batch dies,
// its jobs go back to the front of their lanes, once; a job whose replica dies
// a second time is answered with MODEL_UNAVAILABLE.

#include "actors/batcher.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <spdlog/spdlog.h>

#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/translation.hpp"

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr uint8_t max_attempts = 2;

struct queued_job {
  translation_job job;
  caf::typed_response_promise<job_result> promise;
  clock_type::time_point enqueued;
  uint8_t attempts = 0;
};

struct replica_slot {
  model_actor handle;
  uint64_t batch_id = 0; // 0 while idle
  std::vector<queued_job> jobs;
};

struct batcher_state {
  std::string model_name;
  batching_config config;
  std::array<std::deque<queued_job>, 2> lanes; // indexed by lane
  std::vector<replica_slot> replicas;
  caf::error unavailable;
  bool flush_pending = false;
  uint64_t next_batch_id = 1;
  uint64_t batches = 0;
  uint64_t jobs_done = 0;
  uint64_t jobs_failed = 0;
  uint64_t overloaded = 0;
  uint64_t retried = 0;
  double inference_seconds = 0;

  size_t queued() const {
    return lanes[0].size() + lanes[1].size();
  }

  static inline const char* name = "batcher";
};

using batcher_pointer = batcher_actor::stateful_pointer<batcher_state>;

uint32_t micros_since(clock_type::time_point start, clock_type::time_point now) {
  return static_cast<uint32_t>(
    std::chrono::duration_cast<std::chrono::microseconds>(now - start).count());
}

void fail_job(batcher_state& st, queued_job& job, const caf::error& reason) {
  ++st.jobs_failed;
  job.promise.deliver(reason);
}

/// Puts the jobs of a lost batch back in front of their lanes, or fails those
/// already tried twice.
void requeue(batcher_state& st, std::vector<queued_job>& jobs) {
  for (auto i = jobs.rbegin(); i != jobs.rend(); ++i) {
    if (++i->attempts >= max_attempts) {
      fail_job(st, *i,
               make_error(error_code::model_unavailable,
                          "model " + st.model_name
                            + " stopped twice while translating this text"));
      continue;
    }
    ++st.retried;
    st.lanes[static_cast<size_t>(i->job.priority)].push_front(std::move(*i));
  }
  jobs.clear();
}

void dispatch(batcher_pointer self);

void complete(batcher_pointer self, const caf::actor_addr& replica,
              uint64_t batch_id, batch_output& output) {
  auto& st = self->state;
  auto slot = std::find_if(st.replicas.begin(), st.replicas.end(),
                           [&](const replica_slot& x) {
                             return x.batch_id == batch_id
                                    && x.handle.address() == replica;
                           });
  if (slot == st.replicas.end())
    return; // already requeued after the replica went down
  ++st.batches;
  st.inference_seconds += output.inference_us / 1e6;
  auto now = clock_type::now();
  for (size_t i = 0; i < slot->jobs.size(); ++i) {
    auto& job = slot->jobs[i];
    auto& out = output.outputs[i];
    if (out.error) {
      fail_job(st, job, out.error);
      continue;
    }
    ++st.jobs_done;
    auto waited = micros_since(job.enqueued, now);
    job_result result{std::move(out.text), std::move(out.route),
                      waited > output.inference_us
                        ? waited - output.inference_us
                        : 0,
                      output.inference_us};
    job.promise.deliver(std::move(result));
  }
  slot->jobs.clear();
  slot->batch_id = 0;
  dispatch(self);
}

void lose_replica(batcher_pointer self, const caf::actor_addr& replica) {
  auto& st = self->state;
  auto slot = std::find_if(st.replicas.begin(), st.replicas.end(),
                           [&](const replica_slot& x) {
                             return x.handle.address() == replica;
                           });
  if (slot == st.replicas.end())
    return;
  requeue(st, slot->jobs);
  st.replicas.erase(slot);
  dispatch(self);
}

void send_batch(batcher_pointer self, replica_slot& slot) {
  auto& st = self->state;
  translation_batch batch;
  while (slot.jobs.size() < st.config.max_batch && st.queued() > 0) {
    auto& lane = st.lanes[0].empty() ? st.lanes[1] : st.lanes[0];
    batch.jobs.push_back(lane.front().job);
    slot.jobs.push_back(std::move(lane.front()));
    lane.pop_front();
  }
  slot.batch_id = st.next_batch_id++;
  auto replica = slot.handle.address();
  auto batch_id = slot.batch_id;
  self->request(slot.handle, caf::infinite, infer_atom::value, std::move(batch))
    .then(
      [self, replica, batch_id](batch_output& output) {
        complete(self, replica, batch_id, output);
      },
      [self, replica](caf::error& err) {
        // The replica is gone (its mailbox bounced the batch).
        lose_replica(self, replica);
      });
}

void dispatch(batcher_pointer self) {
  auto& st = self->state;
  while (st.queued() > 0) {
    auto idle = std::find_if(st.replicas.begin(), st.replicas.end(),
                             [](const replica_slot& x) { return x.batch_id == 0; });
    if (idle == st.replicas.end())
      return;
    if (st.queued() < st.config.max_batch && st.config.max_delay.count() > 0) {
      auto oldest = clock_type::time_point::max();
      for (auto& lane : st.lanes)
        if (!lane.empty())
          oldest = std::min(oldest, lane.front().enqueued);
      auto waited = clock_type::now() - oldest;
      if (waited < st.config.max_delay) {
        if (!st.flush_pending) {
          st.flush_pending = true;
          self->delayed_send(self, st.config.max_delay - waited,
                             caf::flush_atom::value);
        }
        return;
      }
    }
    send_batch(self, *idle);
  }
}

} // namespace

batcher_actor spawn_batcher(caf::actor_system& sys, std::string model_name,
                            batching_config config) {
  auto init = [model_name, config](
                batcher_pointer self) -> batcher_actor::behavior_type {
    auto& st = self->state;
    st.model_name = model_name;
    st.config = config;
    st.config.max_batch = std::max<size_t>(st.config.max_batch, 1);
    self->set_down_handler(
      [self](caf::down_msg& msg) { lose_replica(self, msg.source); });
    return {
      [self](infer_atom, translation_job& job) -> caf::result<job_result> {
        auto& st = self->state;
        if (st.replicas.empty() && st.unavailable)
          return st.unavailable;
        if (st.queued() >= st.config.queue_capacity) {
          ++st.overloaded;
          return make_error(error_code::overloaded,
                            "the queue of model " + st.model_name + " is full");
        }
        auto promise = self->make_response_promise<job_result>();
        auto lane = static_cast<size_t>(job.priority) < st.lanes.size()
                      ? static_cast<size_t>(job.priority)
                      : st.lanes.size() - 1;
        st.lanes[lane].push_back(
          queued_job{std::move(job), promise, clock_type::now(), 0});
        dispatch(self);
        return promise;
      },
      [self](ready_atom, const caf::actor& replica) {
        auto& st = self->state;
        st.unavailable = caf::none;
        self->monitor(replica);
        st.replicas.push_back(
          replica_slot{caf::actor_cast<model_actor>(replica), 0, {}});
        dispatch(self);
      },
      [self](unavailable_atom, const caf::error& reason) {
        auto& st = self->state;
        st.unavailable = reason;
        if (!st.replicas.empty())
          return;
        spdlog::error("model {} is unavailable: {}", st.model_name,
                      explanation_of(reason));
        for (auto& lane : st.lanes) {
          for (auto& job : lane)
            fail_job(st, job, reason);
          lane.clear();
        }
      },
      [self](caf::flush_atom) {
        self->state.flush_pending = false;
        dispatch(self);
      },
      [self](stats_atom) -> metrics {
        auto& st = self->state;
        auto label = "{model=\"" + st.model_name + "\"}";
        metrics result;
        result.values["model_queue_depth" + label] = st.queued();
        result.values["model_replicas_ready" + label] = st.replicas.size();
        result.values["model_unavailable" + label]
          = st.replicas.empty() && st.unavailable ? 1 : 0;
        result.values["model_batches_total" + label] = st.batches;
        result.values["model_jobs_total" + label] = st.jobs_done;
        result.values["model_job_failures_total" + label] = st.jobs_failed;
        result.values["model_overloaded_total" + label] = st.overloaded;
        result.values["model_retries_total" + label] = st.retried;
        result.values["model_inference_seconds_total" + label]
          = st.inference_seconds;
        return result;
      },
    };
  };
  return sys.spawn(std::move(init));
}

} // namespace parley
