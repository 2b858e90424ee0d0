#include "actors/speech_pool.hpp"

#include <algorithm>
#include <deque>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/speech.hpp"

namespace parley {

namespace {

constexpr uint8_t max_attempts = 2;

template <class Request, class Result>
struct pool_state {
  struct queued {
    Request request;
    caf::typed_response_promise<Result> promise;
    uint8_t attempts = 0;
  };

  struct replica {
    caf::actor handle;
    uint64_t job_id = 0; // 0 while idle
    std::vector<queued> job;
  };

  std::string model_name;
  size_t queue_capacity = 0;
  std::deque<queued> queue;
  std::vector<replica> replicas;
  caf::error unavailable;
  uint64_t next_job_id = 1;
  uint64_t done = 0;
  uint64_t failed = 0;
  uint64_t overloaded = 0;
  uint64_t retried = 0;

  static inline const char* name = "speech_pool";
};

template <class Handle, class Request, class Result>
struct pool {
  using state = pool_state<Request, Result>;
  using pointer = typename Handle::template stateful_pointer<state>;

  static void requeue(state& st, std::vector<typename state::queued>& jobs) {
    for (auto& job : jobs) {
      if (++job.attempts >= max_attempts) {
        ++st.failed;
        job.promise.deliver(make_error(
          error_code::model_unavailable,
          "model " + st.model_name + " stopped twice on this request"));
        continue;
      }
      ++st.retried;
      st.queue.push_front(std::move(job));
    }
    jobs.clear();
  }

  static void lose(pointer self, const caf::actor_addr& who) {
    auto& st = self->state;
    auto slot = std::find_if(st.replicas.begin(), st.replicas.end(),
                             [&](auto& r) { return r.handle.address() == who; });
    if (slot == st.replicas.end())
      return;
    requeue(st, slot->job);
    st.replicas.erase(slot);
    dispatch(self);
  }

  static void dispatch(pointer self) {
    auto& st = self->state;
    for (auto& slot : st.replicas) {
      if (st.queue.empty())
        return;
      if (slot.job_id != 0)
        continue;
      slot.job_id = st.next_job_id++;
      slot.job.push_back(std::move(st.queue.front()));
      st.queue.pop_front();
      auto who = slot.handle.address();
      auto id = slot.job_id;
      self->request(slot.handle, caf::infinite, infer_atom::value,
                    slot.job.front().request)
        .then(
          [self, who, id](Result& result) { finish(self, who, id, &result, {}); },
          [self, who, id](caf::error& err) {
            if (err == caf::sec::request_receiver_down)
              lose(self, who);
            else
              finish(self, who, id, nullptr, std::move(err));
          });
    }
  }

  static void finish(pointer self, const caf::actor_addr& who, uint64_t id,
                     Result* result, caf::error err) {
    auto& st = self->state;
    auto slot = std::find_if(st.replicas.begin(), st.replicas.end(),
                             [&](auto& r) {
                               return r.job_id == id && r.handle.address() == who;
                             });
    if (slot == st.replicas.end())
      return;
    auto& job = slot->job.front();
    if (result != nullptr) {
      ++st.done;
      job.promise.deliver(std::move(*result));
    } else {
      ++st.failed;
      job.promise.deliver(std::move(err));
    }
    slot->job.clear();
    slot->job_id = 0;
    dispatch(self);
  }

  template <class Atom>
  static typename Handle::behavior_type behavior(pointer self,
                                                 std::string model_name,
                                                 size_t capacity) {
    self->state.model_name = std::move(model_name);
    self->state.queue_capacity = capacity;
    self->set_down_handler(
      [self](caf::down_msg& msg) { lose(self, msg.source); });
    return {
      [self](Atom, Request& request) -> caf::result<Result> {
        auto& st = self->state;
        if (st.replicas.empty() && st.unavailable)
          return st.unavailable;
        if (st.queue.size() >= st.queue_capacity) {
          ++st.overloaded;
          return make_error(error_code::overloaded,
                            "the queue of model " + st.model_name + " is full");
        }
        auto promise = self->template make_response_promise<Result>();
        st.queue.push_back({std::move(request), promise, 0});
        dispatch(self);
        return promise;
      },
      [self](ready_atom, const caf::actor& replica) {
        auto& st = self->state;
        st.unavailable = caf::none;
        self->monitor(replica);
        st.replicas.push_back({replica, 0, {}});
        dispatch(self);
      },
      [self](unavailable_atom, const caf::error& reason) {
        auto& st = self->state;
        st.unavailable = reason;
        if (!st.replicas.empty())
          return;
        for (auto& job : st.queue) {
          ++st.failed;
          job.promise.deliver(reason);
        }
        st.queue.clear();
      },
      [self](stats_atom) {
        auto& st = self->state;
        auto label = "{model=\"" + st.model_name + "\"}";
        metrics result;
        result.values["model_queue_depth" + label] = st.queue.size();
        result.values["model_replicas_ready" + label] = st.replicas.size();
        result.values["model_unavailable" + label]
          = st.replicas.empty() && st.unavailable ? 1 : 0;
        result.values["model_jobs_total" + label] = st.done;
        result.values["model_job_failures_total" + label] = st.failed;
        result.values["model_overloaded_total" + label] = st.overloaded;
        result.values["model_retries_total" + label] = st.retried;
        return result;
      },
    };
  }
};

} // namespace

transcriber_actor spawn_transcriber_pool(caf::actor_system& sys,
                                         std::string model_name,
                                         size_t queue_capacity) {
  using impl = pool<transcriber_actor, audio_window, transcription>;
  return sys.spawn([=](impl::pointer self) {
    return impl::behavior<transcribe_atom>(self, model_name, queue_capacity);
  });
}

synthesizer_actor spawn_synthesizer_pool(caf::actor_system& sys,
                                         std::string model_name,
                                         size_t queue_capacity) {
  using impl = pool<synthesizer_actor, synthesize_request, synthesis>;
  return sys.spawn([=](impl::pointer self) {
    return impl::behavior<synthesize_atom>(self, model_name, queue_capacity);
  });
}

} // namespace parley
