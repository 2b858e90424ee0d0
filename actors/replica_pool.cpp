// One pool for every model: a bounded queue in front of the model's
// replicas, on this node or on workers. The pool neither knows nor cares
// where a replica runs: it holds a typed handle, monitors it, and hears its
// answers or its down message.
//
// Flush contract. A batch is handed to a replica when that replica is idle and
// either as many jobs as it takes (`max_batch`, its own or the pool's) are
// queued or the oldest queued job has waited `max_delay`. Jobs are taken from
// the interactive lane first, then from the background lane, each in arrival
// order. With `max_delay` zero a batch leaves as soon as a replica is free, so
// batches grow only while every replica is busy. Among idle replicas the one
// idle longest is chosen, so work spreads over nodes. A queue holding
// `queue_capacity` jobs refuses new ones with OVERLOADED; it never grows
// without bound. Speech pools take one job per batch.
//
// Every job is answered exactly once. When the replica holding a batch is
// lost (it died, or its node went away), its jobs go back to the front of
// their lanes, once; a job whose replica is lost a second time is answered
// with MODEL_UNAVAILABLE. Once told to drain, the pool refuses new jobs and
// answers the drain when its queue and its replicas are empty.

#include "actors/replica_pool.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <spdlog/spdlog.h>

#include "actors/telemetry.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/replica.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"

namespace parley {

namespace {

using time_point = caf::actor_clock::time_point;

constexpr uint8_t max_attempts = 2;

uint32_t micros_between(time_point start, time_point end) {
  return static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(end - start)
          .count());
}

/// Translation: batches of jobs, two lanes, results with their timings.
struct translation_policy {
  using job = translation_job;
  using result = job_result;
  using batch = translation_batch;
  using output = batch_output;
  using request_atom = infer_atom;
  static constexpr bool batches = true;
  static constexpr model_task task = model_task::translation;

  static size_t lane_of(const job& x) {
    return x.priority == lane::background ? 1 : 0;
  }

  static void add(batch& b, const job& x) {
    b.jobs.push_back(x);
  }

  /// Answers every job of `jobs` from `out`; returns the jobs that failed.
  template <class Queued>
  static uint64_t deliver(std::vector<Queued>& jobs, output& out,
                          time_point now) {
    uint64_t failed = 0;
    for (size_t i = 0; i < jobs.size(); ++i) {
      auto& job = jobs[i];
      if (i >= out.outputs.size()) {
        ++failed;
        job.promise.deliver(make_error(error_code::internal_error,
                                       "the replica answered too few jobs"));
        continue;
      }
      auto& item = out.outputs[i];
      if (item.error) {
        ++failed;
        job.promise.deliver(item.error);
        continue;
      }
      auto waited = micros_between(job.enqueued, now);
      job.promise.deliver(
          job_result{std::move(item.text), std::move(item.route),
                     waited > out.inference_us ? waited - out.inference_us : 0,
                     out.inference_us});
    }
    return failed;
  }
};

/// Speech: one job at a time, one lane; the answer is the result.
template <class Job, class Result, class Atom, model_task Task>
struct speech_policy {
  using job = Job;
  using result = Result;
  using batch = Job;
  using output = Result;
  using request_atom = Atom;
  static constexpr bool batches = false;
  static constexpr model_task task = Task;

  static size_t lane_of(const job&) {
    return 0;
  }

  static void add(batch& b, const job& x) {
    b = x;
  }

  template <class Queued>
  static uint64_t deliver(std::vector<Queued>& jobs, output& out, time_point) {
    jobs.front().promise.deliver(std::move(out));
    return 0;
  }
};

using transcription_policy =
    speech_policy<audio_window, transcription, transcribe_atom,
                  model_task::transcription>;
using synthesis_policy = speech_policy<synthesize_request, synthesis,
                                       synthesize_atom, model_task::synthesis>;

/// The task a job belongs to.
template <class Job> constexpr model_task task_of_job() {
  if constexpr (std::is_same_v<Job, translation_job>)
    return model_task::translation;
  else if constexpr (std::is_same_v<Job, audio_window>)
    return model_task::transcription;
  else
    return model_task::synthesis;
}

template <class Policy> struct pool_state {
  struct queued {
    typename Policy::job job;
    caf::typed_response_promise<typename Policy::result> promise;
    time_point enqueued;
    uint8_t attempts = 0;
  };

  struct slot {
    replica_actor handle;
    replica_info info;
    uint64_t batch_id = 0; // 0 while idle
    std::vector<queued> jobs;
    /// When it last took a batch: the idle longest goes first.
    uint64_t last_taken = 0;
    uint64_t batches = 0;
    uint64_t jobs_done = 0;
  };

  pool_config config;
  std::array<std::deque<queued>, 2> lanes; // interactive, background
  std::vector<slot> replicas;
  caf::error unavailable;
  language_routes languages;
  bool flush_pending = false;
  bool draining = false;
  std::vector<caf::typed_response_promise<done_atom>> drained;
  /// Who waits for the model to be settled: a replica joined, or the model
  /// was reported unavailable.
  std::vector<caf::typed_response_promise<pool_status>> settled;
  uint64_t next_batch_id = 1;
  uint64_t batches = 0;
  uint64_t jobs_done = 0;
  uint64_t jobs_failed = 0;
  uint64_t overloaded = 0;
  uint64_t retried = 0;
  uint64_t replicas_lost = 0;
  double inference_seconds = 0;

  size_t queued_jobs() const {
    return lanes[0].size() + lanes[1].size();
  }

  size_t in_flight() const {
    size_t n = 0;
    for (auto& r : replicas)
      n += r.jobs.size();
    return n;
  }

  size_t batch_limit(const slot& r) const {
    if (!Policy::batches)
      return 1;
    auto limit = r.info.max_batch > 0 ? r.info.max_batch : config.max_batch;
    return std::max<size_t>(limit, 1);
  }

  static inline const char* name = "replica_pool";
};

template <class Policy> struct pool {
  using state = pool_state<Policy>;
  using pointer = pool_actor::stateful_pointer<state>;
  using queued = typename state::queued;
  using slot = typename state::slot;

  static void fail(state& st, queued& job, const caf::error& reason) {
    ++st.jobs_failed;
    job.promise.deliver(reason);
  }

  /// Puts the jobs of a lost batch back in front of their lanes, or fails
  /// those already tried twice.
  static void requeue(state& st, std::vector<queued>& jobs) {
    for (auto i = jobs.rbegin(); i != jobs.rend(); ++i) {
      if (++i->attempts >= max_attempts) {
        fail(st, *i,
             make_error(error_code::model_unavailable,
                        "model " + st.config.model_name
                            + " lost its replica twice while serving this"));
        continue;
      }
      ++st.retried;
      st.lanes[Policy::lane_of(i->job)].push_front(std::move(*i));
    }
    jobs.clear();
  }

  static typename std::vector<slot>::iterator find(state& st,
                                                   const caf::actor_addr& who) {
    return std::find_if(
        st.replicas.begin(), st.replicas.end(),
        [&](const slot& x) { return x.handle.address() == who; });
  }

  static void answer_drain_when_empty(state& st) {
    if (!st.draining || st.queued_jobs() > 0 || st.in_flight() > 0)
      return;
    for (auto& promise : st.drained)
      promise.deliver(done_atom::value);
    st.drained.clear();
  }

  static void lose(pointer self, const caf::actor_addr& who) {
    auto& st = self->state;
    auto r = find(st, who);
    if (r == st.replicas.end())
      return;
    ++st.replicas_lost;
    spdlog::warn("model {}: lost its replica on node {} ({} jobs in flight)",
                 st.config.model_name, r->info.node, r->jobs.size());
    requeue(st, r->jobs);
    st.replicas.erase(r);
    if (st.replicas.empty() && st.unavailable)
      fail_queue(st, st.unavailable);
    dispatch(self);
  }

  static void fail_queue(state& st, const caf::error& reason) {
    for (auto& lane : st.lanes) {
      for (auto& job : lane)
        fail(st, job, reason);
      lane.clear();
    }
  }

  static void complete(pointer self, const caf::actor_addr& who,
                       uint64_t batch_id, typename Policy::output& out,
                       uint32_t inference_us) {
    auto& st = self->state;
    auto r = find(st, who);
    if (r == st.replicas.end() || r->batch_id != batch_id)
      return; // already requeued after the replica was lost
    auto now = self->clock().now();
    report_timings(st, r->jobs, now, inference_us);
    auto failed = Policy::deliver(r->jobs, out, now);
    ++st.batches;
    ++r->batches;
    st.jobs_failed += failed;
    st.jobs_done += r->jobs.size() - failed;
    r->jobs_done += r->jobs.size() - failed;
    st.inference_seconds += inference_us / 1e6;
    r->jobs.clear();
    r->batch_id = 0;
    answer_drain_when_empty(st);
    dispatch(self);
  }

  /// Tells the telemetry actor, when there is one, the size and timings of
  /// a batch answered at `now`.
  static void report_timings(state& st, const std::vector<queued>& jobs,
                             time_point now, uint32_t inference_us) {
    if (!st.config.telemetry)
      return;
    batch_sample sample{st.config.model_name,
                        static_cast<uint32_t>(jobs.size()),
                        inference_us,
                        {}};
    sample.queue_us.reserve(jobs.size());
    for (const auto& job : jobs) {
      auto waited = micros_between(job.enqueued, now);
      sample.queue_us.push_back(waited > inference_us ? waited - inference_us
                                                      : 0);
    }
    report_batch(st.config.telemetry, std::move(sample));
  }

  /// A replica answered with an error instead of a result: it is gone (its
  /// mailbox bounced the batch), or the job itself failed.
  static void refused(pointer self, const caf::actor_addr& who,
                      uint64_t batch_id, caf::error& err) {
    auto& st = self->state;
    auto r = find(st, who);
    if (r == st.replicas.end() || r->batch_id != batch_id)
      return;
    if (Policy::batches || err == caf::sec::request_receiver_down) {
      lose(self, who);
      return;
    }
    for (auto& job : r->jobs)
      fail(st, job, err);
    r->jobs.clear();
    r->batch_id = 0;
    answer_drain_when_empty(st);
    dispatch(self);
  }

  static void send_batch(pointer self, slot& r) {
    auto& st = self->state;
    typename Policy::batch batch;
    auto limit = st.batch_limit(r);
    while (r.jobs.size() < limit && st.queued_jobs() > 0) {
      auto& lane = st.lanes[0].empty() ? st.lanes[1] : st.lanes[0];
      Policy::add(batch, lane.front().job);
      r.jobs.push_back(std::move(lane.front()));
      lane.pop_front();
    }
    r.batch_id = st.next_batch_id++;
    r.last_taken = r.batch_id;
    auto who = r.handle.address();
    auto id = r.batch_id;
    auto start = self->clock().now();
    self->request(r.handle, caf::infinite, infer_atom::value, std::move(batch))
        .then(
            [self, who, id, start](typename Policy::output& out) {
              uint32_t inference_us;
              if constexpr (Policy::batches)
                inference_us = out.inference_us;
              else
                inference_us = micros_between(start, self->clock().now());
              complete(self, who, id, out, inference_us);
            },
            [self, who, id](caf::error& err) { refused(self, who, id, err); });
  }

  /// The idle replica that waited longest, or nullptr.
  static slot* idle_replica(state& st) {
    slot* best = nullptr;
    for (auto& r : st.replicas)
      if (r.batch_id == 0
          && (best == nullptr || r.last_taken < best->last_taken))
        best = &r;
    return best;
  }

  static void dispatch(pointer self) {
    auto& st = self->state;
    while (st.queued_jobs() > 0) {
      auto r = idle_replica(st);
      if (r == nullptr)
        return;
      if (st.queued_jobs() < st.batch_limit(*r)
          && st.config.max_delay.count() > 0) {
        auto oldest = time_point::max();
        for (auto& lane : st.lanes)
          if (!lane.empty())
            oldest = std::min(oldest, lane.front().enqueued);
        auto waited = self->clock().now() - oldest;
        if (waited < st.config.max_delay) {
          if (!st.flush_pending) {
            st.flush_pending = true;
            self->delayed_send(self, st.config.max_delay - waited,
                               caf::flush_atom::value);
          }
          return;
        }
      }
      send_batch(self, *r);
    }
  }

  static caf::result<typename Policy::result>
  accept(pointer self, typename Policy::job& job) {
    auto& st = self->state;
    if (st.draining)
      return make_error(error_code::model_unavailable,
                        "model " + st.config.model_name + " is being unloaded");
    if (st.replicas.empty() && st.unavailable)
      return st.unavailable;
    if (st.queued_jobs() >= st.config.queue_capacity) {
      ++st.overloaded;
      return make_error(error_code::overloaded, "the queue of model "
                                                    + st.config.model_name
                                                    + " is full");
    }
    auto promise =
        self->template make_response_promise<typename Policy::result>();
    st.lanes[Policy::lane_of(job)].push_back(
        queued{std::move(job), promise, self->clock().now(), 0});
    dispatch(self);
    return promise;
  }

  static void join(pointer self, replica_info& info, replica_actor& replica) {
    auto& st = self->state;
    if (!replica || info.task != Policy::task) {
      spdlog::error("model {}: refused a replica of another task from node {}",
                    st.config.model_name, info.node);
      return;
    }
    st.unavailable = caf::none;
    if (!info.languages.routes.empty() || !info.languages.languages.empty()) {
      st.languages = info.languages;
      if (st.config.on_languages)
        st.config.on_languages(st.languages);
      if (st.config.telemetry)
        self->send(st.config.telemetry, languages_atom::value,
                   st.config.model_name, st.languages);
    }
    auto known = find(st, replica.address());
    if (known != st.replicas.end()) {
      known->info = std::move(info);
    } else {
      spdlog::info("model {}: replica on node {} joined", st.config.model_name,
                   info.node);
      self->monitor(replica);
      slot r;
      r.handle = std::move(replica);
      r.info = std::move(info);
      st.replicas.push_back(std::move(r));
    }
    answer_settled(st);
    dispatch(self);
  }

  /// Answers whoever waits for the model to be settled, once it is.
  static void answer_settled(state& st) {
    if (st.replicas.empty() && !st.unavailable)
      return;
    auto current = status(st);
    for (auto& promise : st.settled)
      promise.deliver(current);
    st.settled.clear();
  }

  static pool_status status(state& st) {
    pool_status result;
    result.model = st.config.model_name;
    result.task = Policy::task;
    result.queued = st.queued_jobs();
    result.in_flight = st.in_flight();
    result.unavailable =
        st.replicas.empty() && static_cast<bool>(st.unavailable);
    result.draining = st.draining;
    result.languages = st.languages;
    for (auto& r : st.replicas)
      result.replicas.push_back(replica_status{
          r.info.node, r.info.kind, static_cast<uint32_t>(st.batch_limit(r)),
          static_cast<uint32_t>(r.jobs.size()), r.batches, r.jobs_done});
    return result;
  }

  static metrics counters(state& st) {
    auto label = "{model=\"" + st.config.model_name + "\"}";
    metrics result;
    result.values["model_queue_depth" + label] = st.queued_jobs();
    result.values["model_in_flight" + label] = st.in_flight();
    result.values["model_replicas_ready" + label] = st.replicas.size();
    result.values["model_unavailable" + label] =
        st.replicas.empty() && st.unavailable ? 1 : 0;
    result.values["model_batches_total" + label] = st.batches;
    result.values["model_jobs_total" + label] = st.jobs_done;
    result.values["model_job_failures_total" + label] = st.jobs_failed;
    result.values["model_overloaded_total" + label] = st.overloaded;
    result.values["model_retries_total" + label] = st.retried;
    result.values["model_replicas_lost_total" + label] = st.replicas_lost;
    result.values["model_inference_seconds_total" + label] =
        st.inference_seconds;
    for (auto& r : st.replicas)
      result.values["replica_jobs_total{model=\"" + st.config.model_name
                    + "\",node=\"" + r.info.node + "\"}"] += r.jobs_done;
    return result;
  }

  /// The handler of one kind of job: this pool's own are queued, any
  /// other task's refused.
  template <class Atom, class Job, class Result>
  static auto job_handler(pointer self) {
    return [self](Atom, Job& job) -> caf::result<Result> {
      if constexpr (std::is_same_v<Job, typename Policy::job>)
        return accept(self, job);
      else
        return other_task_error(self->state.config.model_name, Policy::task,
                                task_of_job<Job>());
    };
  }

  static pool_actor::behavior_type behavior(pointer self, pool_config config) {
    auto& st = self->state;
    st.config = std::move(config);
    self->set_down_handler(
        [self](caf::down_msg& msg) { lose(self, msg.source); });
    return {
        job_handler<infer_atom, translation_job, job_result>(self),
        job_handler<transcribe_atom, audio_window, transcription>(self),
        job_handler<synthesize_atom, synthesize_request, synthesis>(self),
        [self](ready_atom, replica_info& info, replica_actor& replica) {
          join(self, info, replica);
        },
        [self](unavailable_atom, const caf::error& reason) {
          auto& st = self->state;
          st.unavailable = reason;
          if (!st.replicas.empty())
            return;
          answer_settled(st);
          spdlog::error("model {} is unavailable: {}", st.config.model_name,
                        explanation_of(reason));
          fail_queue(st, reason);
        },
        [self](caf::flush_atom) {
          self->state.flush_pending = false;
          dispatch(self);
        },
        [self](status_atom) { return status(self->state); },
        [self](ready_atom) -> caf::result<pool_status> {
          auto& st = self->state;
          if (!st.replicas.empty() || st.unavailable)
            return status(st);
          auto promise = self->template make_response_promise<pool_status>();
          st.settled.push_back(promise);
          return promise;
        },
        [self](drain_atom) -> caf::result<done_atom> {
          auto& st = self->state;
          st.draining = true;
          auto promise = self->template make_response_promise<done_atom>();
          st.drained.push_back(promise);
          answer_drain_when_empty(st);
          return promise;
        },
        [self](stats_atom) { return counters(self->state); },
    };
  }
};

template <class Policy>
pool_actor spawn_policy_pool(caf::actor_system& sys, pool_config config) {
  using impl = pool<Policy>;
  if (!Policy::batches)
    config.max_batch = 1;
  config.max_batch = std::max<size_t>(config.max_batch, 1);
  return sys.spawn([config](typename impl::pointer self) {
    return impl::behavior(self, config);
  });
}

} // namespace

pool_actor spawn_pool(caf::actor_system& sys, model_task task,
                      pool_config config) {
  switch (task) {
  case model_task::translation:
    return spawn_policy_pool<translation_policy>(sys, std::move(config));
  case model_task::transcription:
    return spawn_policy_pool<transcription_policy>(sys, std::move(config));
  case model_task::synthesis:
    return spawn_policy_pool<synthesis_policy>(sys, std::move(config));
  }
  throw std::invalid_argument("no pool for this task");
}

} // namespace parley
