#pragma once

// An actor system on CAF's test coordinator: one thread, the test's own,
// runs every actor; time moves only when the test advances it. Actors under
// test here must be event-based (a detached actor would need a thread).
// `ordered_log` checks what the test doubles around them saw, in order.

#include <deque>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/type_id.hpp>

#include "messages/fwd.hpp"
#include "messages/metrics.hpp"
#include "messages/registration.hpp"

namespace parley::test {

class deterministic_system {
public:
  deterministic_system() {
    register_message_types(cfg_);
    cfg_.set("scheduler.policy", caf::atom("testing"));
    cfg_.set("logger.file-verbosity", caf::atom("quiet"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    sched_ =
        &dynamic_cast<caf::scheduler::test_coordinator&>(sys_->scheduler());
    // Nothing runs unless the test runs it, so waiting for actors to finish
    // on shutdown would wait forever for those a test leaves alive.
    sys_->await_actors_before_shutdown(false);
  }

  ~deterministic_system() {
    run();
  }

  caf::actor_system& sys() {
    return *sys_;
  }

  /// Runs every actor until no message is left; returns how many ran.
  size_t run() {
    return sched_->run();
  }

  /// Runs the next actor in line, once; returns whether one ran.
  bool run_once() {
    return sched_->try_run_once();
  }

  /// Moves the clock by `step`, fires what fell due, and runs.
  void advance(caf::timespan step) {
    sched_->advance_time(step);
    run();
  }

  /// Runs every actor but `held` until only `held` has messages left: it
  /// keeps what it was sent, as an actor too busy to answer would, until a
  /// later `run` or `advance`.
  template <class Handle> size_t run_except(const Handle& held) {
    auto* job = dynamic_cast<caf::resumable*>(
        caf::actor_cast<caf::abstract_actor*>(held));
    return sched_->run_jobs_filtered(
        [job](caf::resumable* next) { return next != job; });
  }

  /// Moves the clock by `step`, fires what fell due, and runs all but
  /// `held`.
  template <class Handle>
  void advance_except(caf::timespan step, const Handle& held) {
    sched_->advance_time(step);
    run_except(held);
  }

private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_ = nullptr;
};

/// The counters of `source` (any stats source), asked on `ds`.
template <class Handle>
metrics stats_of(deterministic_system& ds, const Handle& source) {
  metrics result;
  ds.sys().spawn([&](caf::event_based_actor* self) {
    self->request(caf::actor_cast<caf::actor>(source), caf::infinite,
                  stats_atom::value)
        .then([&](metrics& m) { result = std::move(m); });
  });
  ds.run();
  return result;
}

/// What a test double saw, in the order it saw it: the double pushes each
/// message it gets, and the test takes them back one at a time, expecting
/// each in turn. A check fails on the first entry that is not the one
/// expected and names it, so "in order" and "nothing else in between" are
/// one check. CAF's own `expect` (caf/test/dsl.hpp) reports through CAF's
/// test engine, which is not set up under Catch2.
class ordered_log {
public:
  /// Adds one entry of one or more elements (an atom and its arguments,
  /// say); each must be a message type.
  template <class... Ts> void push(Ts... xs) {
    entries_.push_back(caf::make_message(std::move(xs)...));
  }

  /// Takes the oldest entry, which must be a `T` for which `matches` holds;
  /// otherwise fails the test, saying what was `expected` and what came
  /// instead.
  template <class T, class Predicate>
  T expect_next(const std::string& expected, Predicate matches) {
    if (entries_.empty())
      FAIL("expected " << expected << ", but nothing more came");
    auto next = std::move(entries_.front());
    entries_.pop_front();
    if (!next.match_elements<T>() || !matches(next.get_as<T>(0)))
      FAIL("expected " << expected << ", but came " << caf::to_string(next));
    return next.get_as<T>(0);
  }

  /// Takes the oldest entry, which must be a `T`.
  template <class T> T expect_next() {
    return expect_next<T>(caf::type_name<T>::value,
                          [](const T&) { return true; });
  }

  /// Takes the oldest entry, which must hold the elements `Ts...` for which
  /// `matches(const Ts&...)` holds; otherwise fails as `expect_next` does.
  template <class... Ts, class Predicate>
  std::tuple<Ts...> expect_tuple(const std::string& expected,
                                 Predicate matches) {
    return expect_tuple<Ts...>(expected, matches,
                               std::index_sequence_for<Ts...>{});
  }

  /// Fails the test naming every entry left, if any.
  void expect_nothing_more() {
    if (entries_.empty())
      return;
    std::ostringstream left;
    for (const auto& entry : entries_)
      left << "\n  " << caf::to_string(entry);
    entries_.clear();
    FAIL("expected nothing more, but came:" << left.str());
  }

  bool empty() const {
    return entries_.empty();
  }

private:
  template <class... Ts, class Predicate, size_t... Is>
  std::tuple<Ts...> expect_tuple(const std::string& expected,
                                 Predicate& matches,
                                 std::index_sequence<Is...>) {
    if (entries_.empty())
      FAIL("expected " << expected << ", but nothing more came");
    auto next = std::move(entries_.front());
    entries_.pop_front();
    if (!next.match_elements<Ts...>() || !matches(next.get_as<Ts>(Is)...))
      FAIL("expected " << expected << ", but came " << caf::to_string(next));
    return std::tuple<Ts...>{next.get_as<Ts>(Is)...};
  }

  std::deque<caf::message> entries_;
};

/// Has a probe on `ds` ask `to` for `xs...` within `timeout` and push the
/// answer, a `Result`, or else the error into `log`. Runs nothing: the probe
/// asks once the test runs the system.
template <class Result, class Timeout, class Handle, class... Ts>
void ask(deterministic_system& ds, std::shared_ptr<ordered_log> log,
         Timeout timeout, const Handle& to, Ts... xs) {
  auto dest = caf::actor_cast<caf::actor>(to);
  ds.sys().spawn([=](caf::event_based_actor* self) {
    self->request(dest, timeout, xs...)
        .then([log](Result& answer) { log->push(std::move(answer)); },
              [log](caf::error& err) { log->push(std::move(err)); });
  });
}

} // namespace parley::test
