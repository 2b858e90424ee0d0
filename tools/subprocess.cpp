#include "tools/subprocess.hpp"

#include <chrono>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace parley {

namespace {

pid_t spawn(const std::vector<std::string>& argv, int in_fd, int out_fd,
            int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (in_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
  if (out_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  if (err_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  auto rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + argv[0] + ": " + strerror(rc));
  return pid;
}

int exit_status_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

command_result run_command(const std::vector<std::string>& argv,
                           const std::string& input) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0
      || pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  auto pid = spawn(argv, in[0], out[1], err[1]);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!input.empty() && write(in[1], input.data(), input.size()) < 0)
    throw std::runtime_error("cannot write to child");
  close(in[1]);
  command_result result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  char buffer[4096];
  while (open > 0) {
    poll(fds, 2, -1);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      auto n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_status = exit_status_of(status);
  return result;
}

child_process::child_process(const std::vector<std::string>& argv) {
  int err[2];
  if (pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_ = spawn(argv, -1, -1, err[1]);
  close(err[1]);
  err_fd_ = err[0];
}

child_process::~child_process() {
  if (pid_ > 0)
    stop(SIGKILL);
  if (err_fd_ >= 0)
    close(err_fd_);
}

bool child_process::wait_for_output(const std::string& text,
                                    std::chrono::seconds timeout, size_t from) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (err_.find(text, from) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0)
      return false;
    pollfd fd{err_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left)) <= 0)
      return false;
    auto n = read(err_fd_, buffer, sizeof(buffer));
    if (n <= 0)
      return false;
    err_.append(buffer, static_cast<size_t>(n));
  }
  return true;
}

void child_process::discard_output() {
  if (drain_.joinable())
    return;
  drain_ = std::thread([fd = err_fd_] {
    char buffer[4096];
    while (read(fd, buffer, sizeof(buffer)) > 0) {
    }
  });
}

int child_process::stop(int signal) {
  if (pid_ <= 0)
    return -1;
  kill(pid_, signal);
  return wait();
}

std::optional<int> child_process::wait_for(std::chrono::milliseconds timeout) {
  if (pid_ <= 0)
    return -1;
  // A pidfd turns readable when the process exits: a wait on an event, not
  // a poll of waitpid.
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  if (fd < 0)
    return wait();
  pollfd exited{fd, POLLIN, 0};
  auto ready = poll(&exited, 1, static_cast<int>(timeout.count()));
  close(fd);
  if (ready <= 0)
    return std::nullopt;
  return wait();
}

int child_process::wait() {
  if (pid_ <= 0)
    return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (drain_.joinable()) {
    drain_.join(); // ends at EOF, now that the process is gone
    return exit_status_of(status);
  }
  // Collect what it wrote while stopping.
  char buffer[4096];
  ssize_t n;
  while ((n = read(err_fd_, buffer, sizeof(buffer))) > 0)
    err_.append(buffer, static_cast<size_t>(n));
  return exit_status_of(status);
}

std::string own_directory() {
  char path[PATH_MAX] = {};
  auto length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  std::string self{path, length > 0 ? static_cast<size_t>(length) : 0};
  return self.substr(0, self.rfind('/'));
}

} // namespace parley
