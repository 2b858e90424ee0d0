#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

#include <caf/expected.hpp>

#include "models/apertium/mode_file.hpp"

/// A persistent Apertium pipeline in null-flush mode, run without a shell.
namespace parley::apertium {

/// Runs `argv` (no shell, stdin and stderr on /dev/null) and returns its
/// standard output. Throws `std::runtime_error` when it cannot be started,
/// exits with a non-zero status, or runs past `timeout`.
std::string run_and_capture(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout);

/// The processes of one mode, connected by pipes. We write a segment ended
/// by '\0' into the first stage and read the last stage's output up to the
/// '\0' that answers it. Not thread-safe: one owner calls it at a time.
class pipeline {
public:
  /// Prepares the pipeline of `stages` (each stage's argv, `-z` included);
  /// `name` is used in messages. Starts no process.
  pipeline(std::string name, std::vector<stage_argv> stages,
           std::chrono::milliseconds segment_timeout);

  /// Closes the first stage's stdin, kills and reaps every stage.
  ~pipeline();

  pipeline(const pipeline&) = delete;
  pipeline& operator=(const pipeline&) = delete;

  /// Starts the processes unless they run; throws `std::runtime_error` when a
  /// stage cannot be spawned.
  void start();

  /// Kills and reaps every stage; the next `process` starts them again.
  void stop();

  /// Returns true while the processes are started.
  bool running() const {
    return !stages_.empty();
  }

  /// Sends `segment` (which must not contain '\0') and returns the output
  /// answering it. Starts the pipeline when needed. When a stage died, it
  /// restarts the pipeline and retries once. Errors: `TIMEOUT` when no
  /// answer came within the segment timeout (the pipeline is killed and
  /// restarts on next use), `TRANSLATION_FAILED` otherwise.
  caf::expected<std::string> process(const std::string& segment);

  /// Process ids of the running stages, first stage first; empty when
  /// stopped.
  std::vector<pid_t> pids() const;

  /// The name given at construction.
  const std::string& name() const {
    return name_;
  }

private:
  enum class exchange_result { answered, died, timed_out };

  struct stage {
    pid_t pid = -1;
    bool reaped = false;
    int status = 0;
  };

  exchange_result exchange(const std::string& segment, std::string& output);
  bool all_alive();
  std::string death_report() const;
  std::string find_death();
  void close_fds();

  std::string name_;
  std::vector<stage_argv> argvs_;
  std::chrono::milliseconds segment_timeout_;
  std::vector<stage> stages_;
  /// Our end of the first stage's stdin.
  int to_first_ = -1;
  /// Our end of the last stage's stdout.
  int from_last_ = -1;
};

} // namespace parley::apertium
