#include "models/apertium/pipeline.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "messages/error_code.hpp"

extern char** environ;

namespace parley::apertium {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A write to a dead stage must fail with EPIPE, not kill the server.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { signal(SIGPIPE, SIG_IGN); });
}

std::string system_error(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

// Starts `argv` reading `in_fd` (or /dev/null when negative) and writing
// `out_fd`, stderr on /dev/null. Throws on failure.
pid_t spawn_stage(const stage_argv& argv, int in_fd, int out_fd) {
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (in_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, in_fd, STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Ignored signals survive exec: give the stages SIGPIPE back. Their own
  // process group keeps a terminal's Ctrl-C away from them while the server
  // drains; they exit on their own when our end of their stdin closes.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&attributes, &mask);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF
                                            | POSIX_SPAWN_SETSIGMASK
                                            | POSIX_SPAWN_SETPGROUP);
  pid_t pid = -1;
  auto rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes,
                         args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error(system_error("cannot start " + argv[0], rc));
  return pid;
}

void close_fd(int& fd) {
  if (fd >= 0)
    close(fd);
  fd = -1;
}

void set_nonblocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    continue;
  return status;
}

int milliseconds_left(steady_clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

} // namespace

std::string run_and_capture(const std::vector<std::string>& argv,
                            milliseconds timeout) {
  ignore_sigpipe();
  std::array<int, 2> fds{-1, -1};
  if (pipe2(fds.data(), O_CLOEXEC) != 0)
    throw std::runtime_error(system_error("pipe2", errno));
  pid_t pid = -1;
  try {
    pid = spawn_stage(argv, -1, fds[1]);
  } catch (...) {
    close_fd(fds[0]);
    close_fd(fds[1]);
    throw;
  }
  close_fd(fds[1]);
  std::string output;
  auto deadline = steady_clock::now() + timeout;
  std::array<char, 4096> chunk;
  for (;;) {
    pollfd watch{fds[0], POLLIN, 0};
    auto ready = poll(&watch, 1, milliseconds_left(deadline));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0) {
      kill(pid, SIGKILL);
      reap(pid);
      close_fd(fds[0]);
      throw std::runtime_error(argv[0] + " did not finish in time");
    }
    auto got = read(fds[0], chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    output.append(chunk.data(), static_cast<size_t>(got));
  }
  close_fd(fds[0]);
  auto status = reap(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv[0] + " failed with status "
                             + std::to_string(status));
  return output;
}

pipeline::pipeline(std::string name, std::vector<stage_argv> stages,
                   milliseconds segment_timeout)
    : name_(std::move(name)), argvs_(std::move(stages)),
      segment_timeout_(segment_timeout) {
  if (argvs_.empty())
    throw std::invalid_argument("pipeline " + name_ + " has no stage");
  for (const auto& argv : argvs_)
    if (argv.empty())
      throw std::invalid_argument("pipeline " + name_ + " has an empty stage");
}

pipeline::~pipeline() {
  stop();
}

void pipeline::start() {
  if (running())
    return;
  ignore_sigpipe();
  // links[i] feeds stage i; the last link carries the output back to us.
  std::vector<std::array<int, 2>> links(argvs_.size() + 1, {-1, -1});
  auto close_links = [&links] {
    for (auto& link : links) {
      close_fd(link[0]);
      close_fd(link[1]);
    }
  };
  for (auto& link : links)
    if (pipe2(link.data(), O_CLOEXEC) != 0) {
      auto error = errno;
      close_links();
      throw std::runtime_error(system_error("pipe2", error));
    }
  try {
    for (size_t i = 0; i < argvs_.size(); ++i)
      stages_.push_back({spawn_stage(argvs_[i], links[i][0], links[i + 1][1])});
  } catch (const std::exception& e) {
    close_links();
    stop();
    throw std::runtime_error("apertium pipeline " + name_ + ": " + e.what());
  }
  std::swap(to_first_, links.front()[1]);
  std::swap(from_last_, links.back()[0]);
  close_links();
  set_nonblocking(to_first_);
  set_nonblocking(from_last_);
}

void pipeline::stop() {
  close_fds();
  for (auto& s : stages_)
    if (!s.reaped)
      kill(s.pid, SIGKILL);
  for (auto& s : stages_)
    if (!s.reaped)
      reap(s.pid);
  stages_.clear();
}

void pipeline::close_fds() {
  close_fd(to_first_);
  close_fd(from_last_);
}

std::vector<pid_t> pipeline::pids() const {
  std::vector<pid_t> result;
  for (const auto& s : stages_)
    result.push_back(s.pid);
  return result;
}

bool pipeline::all_alive() {
  bool alive = true;
  for (auto& s : stages_) {
    if (!s.reaped) {
      auto rc = waitpid(s.pid, &s.status, WNOHANG);
      s.reaped = rc == s.pid || (rc < 0 && errno == ECHILD);
    }
    alive = alive && !s.reaped;
  }
  return alive;
}

std::string pipeline::find_death() {
  // The stage whose end we saw may need a moment to become reapable.
  auto deadline = steady_clock::now() + milliseconds{100};
  while (all_alive() && steady_clock::now() < deadline)
    usleep(1000);
  return death_report();
}

std::string pipeline::death_report() const {
  // A stage killed by SIGPIPE only wrote to the one that really died.
  auto culprit = [](const stage& s) {
    return s.reaped
           && !(WIFSIGNALED(s.status) && WTERMSIG(s.status) == SIGPIPE);
  };
  auto found = std::find_if(stages_.begin(), stages_.end(), culprit);
  if (found == stages_.end())
    found = std::find_if(stages_.begin(), stages_.end(),
                         [](const stage& s) { return s.reaped; });
  if (found != stages_.end()) {
    auto i = static_cast<size_t>(found - stages_.begin());
    const auto& s = *found;
    auto who = "stage " + std::to_string(i + 1) + " (" + argvs_[i][0] + ")";
    if (WIFSIGNALED(s.status))
      return who + " was killed by signal "
             + std::to_string(WTERMSIG(s.status));
    return who + " exited with status " + std::to_string(WEXITSTATUS(s.status));
  }
  return "its output ended unexpectedly";
}

pipeline::exchange_result pipeline::exchange(const std::string& segment,
                                             std::string& output) {
  auto data = segment + '\0';
  size_t written = 0;
  std::string buffer;
  std::array<char, 65536> chunk;
  auto deadline = steady_clock::now() + segment_timeout_;
  for (;;) {
    std::array<pollfd, 2> watch{
        {{from_last_, POLLIN, 0}, {to_first_, POLLOUT, 0}}};
    nfds_t count = written < data.size() ? 2 : 1;
    auto ready = poll(watch.data(), count, milliseconds_left(deadline));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready < 0)
      return exchange_result::died;
    if (ready == 0)
      return exchange_result::timed_out;
    if (count == 2 && watch[1].revents != 0) {
      auto sent =
          write(to_first_, data.data() + written, data.size() - written);
      if (sent > 0)
        written += static_cast<size_t>(sent);
      else if (errno != EAGAIN && errno != EINTR)
        return exchange_result::died;
    }
    if (watch[0].revents == 0)
      continue;
    auto got = read(from_last_, chunk.data(), chunk.size());
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (got <= 0)
      return exchange_result::died;
    auto old_size = buffer.size();
    buffer.append(chunk.data(), static_cast<size_t>(got));
    auto end = buffer.find('\0', old_size);
    if (end == std::string::npos)
      continue;
    // One '\0' answers each segment; any other is the flush of a dying stage.
    if (end + 1 != buffer.size() || written < data.size())
      return exchange_result::died;
    output = buffer.substr(0, end);
    return exchange_result::answered;
  }
}

caf::expected<std::string> pipeline::process(const std::string& segment) {
  if (running() && !all_alive()) {
    spdlog::warn("apertium pipeline {}: {}; restarting", name_, death_report());
    stop();
  }
  std::string why;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      start();
    } catch (const std::exception& e) {
      return make_error(error_code::translation_failed, e.what());
    }
    std::string output;
    auto result = exchange(segment, output);
    if (result == exchange_result::timed_out) {
      stop();
      return make_error(error_code::timeout,
                        "apertium pipeline " + name_ + " gave no answer within "
                            + std::to_string(segment_timeout_.count())
                            + " ms; it was killed and restarts on next use");
    }
    // An empty answer to a non-empty segment is the flush of a stage that
    // saw its input end, not a translation.
    if (result == exchange_result::answered && all_alive()
        && (segment.empty() || !output.empty()))
      return output;
    why = find_death();
    spdlog::warn("apertium pipeline {}: {}; restarting", name_, why);
    stop();
  }
  return make_error(error_code::translation_failed,
                    "apertium pipeline " + name_
                        + " failed twice on this segment: " + why);
}

} // namespace parley::apertium
