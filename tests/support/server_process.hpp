#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace parley::test {

/// parleyd running as a real process on free ports, with `config` as its
/// TOML file; ready (models loaded) on return.
class server_process {
public:
  explicit server_process(const std::string& config = "",
                          std::vector<std::string> extra_args = {});
  ~server_process();

  uint16_t pull_port = 0;
  uint16_t pub_port = 0;
  uint16_t http_port = 0;

  /// Stops with SIGTERM; returns the exit status.
  int stop();

  pid_t pid() const {
    return process_->pid();
  }

  const std::string& log() const {
    return process_->output();
  }

  /// Waits for the next line of the log containing `text`, after the one
  /// the last wait took; false when none comes within 60 seconds.
  bool wait_for_log(const std::string& text);

private:
  std::string config_path_;
  std::unique_ptr<child_process> process_;
  size_t log_taken_ = 0;
};

/// An HTTP GET or POST against localhost; returns status and body.
struct http_reply {
  int status = 0;
  std::string body;
  std::string content_type;
};

http_reply http_get(uint16_t port, const std::string& path);
http_reply http_post(uint16_t port, const std::string& path,
                     const std::string& body,
                     const std::string& content_type = "application/json");

} // namespace parley::test
