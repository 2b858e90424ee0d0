#pragma once

// A test-only backend for failure injection and for timing-independent checks
// of serialization and independence. Never a default: tests register it
// under the kind "probe". It answers "<target>:<text>".
//
// Texts steer it:
//   "fail ..."  the backend throws std::runtime_error (TRANSLATION_FAILED);
//   "die ..."   while `die_budget` > 0, the backend throws backend_fatal, so
//               its model actor dies mid-request.
// While the gate is closed, every batch waits at it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "models/registry.hpp"

namespace parley::test {

struct probe_control {
  std::atomic<int> batches{0};
  std::atomic<int> active{0};
  std::atomic<int> max_active{0};
  std::atomic<int> waiting_at_gate{0};
  std::atomic<int> loads{0};
  std::atomic<int> die_budget{0};
  std::atomic<bool> fail_load{false};
  std::chrono::milliseconds delay{0};

  void close_gate();
  void open_gate();
  /// Blocks until `count` batches wait at the closed gate; false when none
  /// came for 30 seconds (a guard against hanging, not a timing check).
  bool await_at_gate(int count);
  /// Every job seen, as "<source>><target>:<text>", in order.
  std::vector<std::string> jobs() const;

  // -- used by the backend ----------------------------------------------------
  void pass_gate();
  void record(const std::string& job);

private:
  mutable std::mutex mtx_;
  std::condition_variable opened_;
  std::condition_variable arrived_;
  bool gate_open_ = true;
  std::vector<std::string> jobs_;
};

/// Creates a control and makes it reachable by backends whose options say
/// `probe = <returned name>`.
std::pair<std::string, std::shared_ptr<probe_control>> make_probe();

/// Opens the gate of every probe, so that a failed test cannot leave a model
/// actor blocked forever.
void open_all_gates();

/// A kind of the probes: its one option, `probe`, names the probe; the
/// caller sets the factory.
model_kind probe_kind(const std::string& name, kind_factory factory);

/// A registry with the built-in kinds plus "probe", "probe_asr", "probe_tts"
/// and "toy" (tests/support/toy_kind.hpp).
backend_registry registry_with_probe();

} // namespace parley::test
