#pragma once

// Child processes for the tools and the tests: run one to completion, or
// keep one running in the background and read what it logs.

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace parley {

struct command_result {
  int exit_status = -1;
  std::string out;
  std::string err;
};

/// Runs `argv` to completion with `input` on its standard input.
command_result run_command(const std::vector<std::string>& argv,
                           const std::string& input = "");

/// A process running in the background whose standard error is read by the
/// test; killed on destruction.
class child_process {
public:
  explicit child_process(const std::vector<std::string>& argv);
  ~child_process();

  /// Reads standard error until it contains `text` at or after its first
  /// `from` bytes; false after `timeout` or when the process exits first.
  bool wait_for_output(const std::string& text,
                       std::chrono::seconds timeout = std::chrono::seconds(60),
                       size_t from = 0);

  /// From now on reads and drops what the process writes, on a thread of its
  /// own, so a chatty process never blocks on a full pipe.
  void discard_output();

  /// Sends `signal` and waits for the exit status (-1 if killed by a signal).
  int stop(int signal);

  /// Waits until the process exits on its own; returns its exit status (-1
  /// if a signal killed it).
  int wait();

  /// Like `wait`, for at most `timeout`; nothing if the process still runs.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);

  const std::string& output() const {
    return err_;
  }

  /// The process id while it runs, else -1.
  pid_t pid() const {
    return pid_;
  }

private:
  std::thread drain_;
  pid_t pid_ = -1;
  int err_fd_ = -1;
  std::string err_;
};

/// The directory of the running executable: where its sibling programs
/// (parleyd beside parley) live.
std::string own_directory();

} // namespace parley
